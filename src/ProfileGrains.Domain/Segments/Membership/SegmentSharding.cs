using System.IO.Hashing;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>Which shard of a segment's membership holds a customer: a stable hash, the same in every process.</summary>
public static class SegmentSharding
{
    public const int DefaultShardCount = 16;
    public const int MaxShardCount = 256;

    public static int ShardOf(string customerId, int shardCount)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(customerId.Length)];
        var length = Encoding.UTF8.GetBytes(customerId, utf8);
        return (int)(XxHash32.HashToUInt32(utf8[..length]) % (uint)shardCount);
    }

    public static string ShardKey(string segmentId, int shard) => $"{segmentId}/{shard}";

    /// <summary>The segment and shard a <see cref="ShardKey"/> names (segment ids hold no '/').</summary>
    public static (string SegmentId, int Shard) ParseShardKey(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
