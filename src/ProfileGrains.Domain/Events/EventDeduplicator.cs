using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// Remembers the last <see cref="Limits.DedupeMemoryPerCustomer"/> event ids (and purchase order ids) of one customer
/// as 64-bit digests, so a retry is recognised with bounded memory. SHA-256 keeps deliberate collisions out of reach;
/// a retry older than that many newer events of the same customer is counted again.
/// Each digest keeps a short trace of what it counted, so that when two profiles of one person merge, an event counted
/// on both sides can be taken out of one of them exactly.
/// </summary>
[GenerateSerializer, Alias("pg.EventDeduplicator")]
public sealed class EventDeduplicator
{
    [Id(0)] internal List<ulong> Recent { get; private set; } = [];
    [Id(1)] internal int Next { get; private set; }

    /// <summary>What each digest of <see cref="Recent"/> counted, at the same index (default for untraced entries).</summary>
    [Id(2)] internal List<EventTrace> Traces { get; private set; } = [];

    private static int Capacity => Limits.DedupeMemoryPerCustomer;

    /// <summary>How many event and order digests are remembered.</summary>
    public int Remembered => Recent.Count;

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

    internal void Add(ulong digest, EventTrace trace = default)
    {
        while (Traces.Count < Recent.Count)
        {
            Traces.Add(default);
        }

        if (Recent.Count < Capacity)
        {
            CompactLists.EnsureRoomForOne(Recent);
            CompactLists.EnsureRoomForOne(Traces);
            Recent.Add(digest);
            Traces.Add(trace);
        }
        else
        {
            Recent[Next] = digest;
            Traces[Next] = trace;
            Next = (Next + 1) % Capacity;
        }
    }

    /// <summary>Every remembered digest with its trace, oldest first.</summary>
    internal IEnumerable<(ulong Digest, EventTrace Trace)> Entries()
    {
        var start = Recent.Count < Capacity ? 0 : Next;
        for (var i = 0; i < Recent.Count; i++)
        {
            var index = (start + i) % Recent.Count;
            yield return (Recent[index], index < Traces.Count ? Traces[index] : default);
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
