using System.Security.Cryptography;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// Remembers the last <see cref="Limits.DedupeMemoryPerCustomer"/> event ids (and purchase order ids) of one customer
/// as 64-bit digests, so a retry is recognised with bounded memory. SHA-256 keeps deliberate collisions out of reach;
/// a retry older than that many newer events of the same customer is counted again.
/// </summary>
[GenerateSerializer, Alias("pg.EventDeduplicator")]
public sealed class EventDeduplicator
{
    [Id(0)] internal List<ulong> Recent { get; private set; } = [];
    [Id(1)] internal int Next { get; private set; }

    [NonSerialized]
    private HashSet<ulong>? _lookup;

    private static int Capacity => Limits.DedupeMemoryPerCustomer;

    public bool Contains(string key) => Lookup().Contains(Digest(key));

    /// <summary>Returns false when the key was already seen.</summary>
    public bool TryAdd(string key)
    {
        var digest = Digest(key);
        var lookup = Lookup();
        if (!lookup.Add(digest))
        {
            return false;
        }

        if (Recent.Count < Capacity)
        {
            Recent.Add(digest);
        }
        else
        {
            lookup.Remove(Recent[Next]);
            Recent[Next] = digest;
            Next = (Next + 1) % Capacity;
        }

        return true;
    }

    private HashSet<ulong> Lookup() => _lookup ??= [.. Recent];

    private static ulong Digest(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(key);
        SHA256.HashData(bytes, hash);
        return BitConverter.ToUInt64(hash);
    }
}
