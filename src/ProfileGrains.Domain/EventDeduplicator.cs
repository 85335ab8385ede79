using System.Runtime.InteropServices;
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

    private static int Capacity => Limits.DedupeMemoryPerCustomer;

    public bool Contains(string key) => Contains(Digest(key));

    /// <summary>Returns false when the key was already seen.</summary>
    public bool TryAdd(string key)
    {
        var digest = Digest(key);
        if (Contains(digest))
        {
            return false;
        }

        Add(digest);
        return true;
    }

    // A vectorised scan of at most 512 digests costs less than hashing the key, and needs no per-customer hash set.
    internal bool Contains(ulong digest) => CollectionsMarshal.AsSpan(Recent).Contains(digest);

    internal void Add(ulong digest)
    {
        if (Recent.Count < Capacity)
        {
            Recent.Add(digest);
        }
        else
        {
            Recent[Next] = digest;
            Next = (Next + 1) % Capacity;
        }
    }

    internal static ulong Digest(string key) => Digest(string.Empty, key);

    /// <summary>The first 64 bits of SHA-256 over the UTF-8 of prefix and key, without allocating.</summary>
    internal static ulong Digest(string prefix, string key)
    {
        var length = Encoding.UTF8.GetMaxByteCount(prefix.Length + key.Length);
        var buffer = length <= 2048 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(prefix, buffer);
        written += Encoding.UTF8.GetBytes(key, buffer[written..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..written], hash);
        return BitConverter.ToUInt64(hash);
    }
}
