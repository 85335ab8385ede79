using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// Opaque tokens of the membership RPCs. A watch cursor is, for every shard, the epoch of its log and the last
/// sequence seen in it; a page token is the shard and the last customer id listed. Versioned so their format can
/// change without misreading old ones.
/// </summary>
internal static class MembershipCursor
{
    private const string WatchPrefix = "w2:";
    private const string PagePrefix = "p1:";

    public static string Format(ShardPosition[] positions) =>
        Encode(WatchPrefix + string.Join(',', positions.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Epoch}.{p.Sequence}"))));

    public static ShardPosition[]? Parse(string cursor, int shards)
    {
        if (Decode(cursor) is not { } text || !text.StartsWith(WatchPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = text[WatchPrefix.Length..].Split(',');
        if (parts.Length != shards)
        {
            return null;
        }

        var positions = new ShardPosition[shards];
        for (var i = 0; i < shards; i++)
        {
            var dot = parts[i].IndexOf('.', StringComparison.Ordinal);
            if (dot < 0
                || !long.TryParse(parts[i].AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(parts[i].AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return null;
            }

            positions[i] = new ShardPosition(epoch, sequence);
        }

        return positions;
    }

    public static string FormatPage(int shard, string? afterCustomerId) =>
        Encode(PagePrefix + shard.ToString(CultureInfo.InvariantCulture) + ":" + afterCustomerId);

    /// <summary>(0, null) for an empty token; null when the token is not one of ours.</summary>
    public static (int Shard, string? After)? ParsePage(string token, int shards)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null);
        }

        if (Decode(token) is not { } text || !text.StartsWith(PagePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = text[PagePrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var shard) || shard >= shards)
        {
            return null;
        }

        var after = rest[(colon + 1)..];
        return (shard, after.Length == 0 ? null : after);
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string token)
    {
        if (token.Length > 8192)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Where a watcher is in one shard's change log: the log's epoch and the last sequence seen.</summary>
internal readonly record struct ShardPosition(long Epoch, long Sequence);
