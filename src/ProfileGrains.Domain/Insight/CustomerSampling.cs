using System.IO.Hashing;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// Which customers the overview reads: those whose rank falls under the sample's fraction, lowest ranks first. The rank
/// is a hash of the customer id, uniform over [0, 1) and the same in every process and every call, so the sample is
/// uniform and stable: the console's repeated reads meet the same customers (already in memory) instead of loading
/// new ones each time. Seeded apart from <see cref="SegmentSharding"/>, so a shard holds no particular part of it.
/// </summary>
public static class CustomerSampling
{
    private const long Seed = 0x5EED_51A3;

    public static double Rank(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(customerId.Length)];
        var length = Encoding.UTF8.GetBytes(customerId, utf8);
        return (XxHash64.HashToUInt64(utf8[..length], Seed) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The customers of <paramref name="customerIds"/> in the sample of <paramref name="fraction"/>, at most <paramref name="max"/>, lowest ranks first.</summary>
    public static IReadOnlyList<string> Draw(IEnumerable<string> customerIds, double fraction, int max) =>
        [.. customerIds.Select(id => (Id: id, Rank: Rank(id))).Where(c => c.Rank < fraction).OrderBy(c => c.Rank).Take(max).Select(c => c.Id)];
}
