using System.IO.Hashing;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// The last times distinct values were seen (payment instruments, devices), as 64-bit digests: enough to count how
/// many different ones appeared in a day without keeping the values. Bounded by <see cref="Capacity"/>.
/// </summary>
[GenerateSerializer, Alias("pg.RecentDistinct")]
public sealed class RecentDistinct
{
    public const int Capacity = 32;

    [Id(0)] private List<ulong> _digests = [];
    [Id(1)] private List<long> _lastSeenTicks = [];

    public void Seen(string value, long ticks) => Seen(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(value)), ticks);

    /// <summary>How many distinct values were seen after <paramref name="fromTicks"/>.</summary>
    public int CountSince(long fromTicks) => _lastSeenTicks.Count(t => t > fromTicks);

    public IEnumerable<long> Times => _lastSeenTicks;

    public void Absorb(RecentDistinct other)
    {
        for (var i = 0; i < other._digests.Count; i++)
        {
            Seen(other._digests[i], other._lastSeenTicks[i]);
        }
    }

    private void Seen(ulong digest, long ticks)
    {
        var i = _digests.IndexOf(digest);
        if (i >= 0)
        {
            _lastSeenTicks[i] = Math.Max(_lastSeenTicks[i], ticks);
            return;
        }

        if (_digests.Count >= Capacity)
        {
            var oldest = _lastSeenTicks.IndexOf(_lastSeenTicks.Min());
            if (_lastSeenTicks[oldest] >= ticks)
            {
                return;
            }

            _digests.RemoveAt(oldest);
            _lastSeenTicks.RemoveAt(oldest);
        }

        _digests.Add(digest);
        _lastSeenTicks.Add(ticks);
    }
}
