namespace ProfileGrains.Domain;

/// <summary>
/// Counts of one event type by time of occurrence, in three sparse tiers of buckets: minutes (last hour), hours
/// (last day) and UTC days (last 365 days). An event is filed by when it happened, not when it arrived, so late
/// events land in the right window; memory is bounded by the number of buckets, never by the number of events.
/// Windows are aligned to their tier: "1h" is the current minute and the 59 before it, "24h" the current hour and
/// the 23 before, "7d" today and the 6 UTC days before, and so on.
/// </summary>
[GenerateSerializer, Alias("pg.EventCounter")]
public sealed class EventCounter
{
    private static readonly long MinuteTicks = TimeSpan.TicksPerMinute;
    private static readonly long HourTicks = TimeSpan.TicksPerHour;
    private static readonly long DayTicks = TimeSpan.TicksPerDay;
    private static readonly int[] WindowDays = [7, 30, 90, DayRetention];
    private const int MinuteRetention = 60;
    private const int HourRetention = 24;
    private const int DayRetention = 365;

    [Id(0)] public long Lifetime { get; private set; }
    [Id(1)] public DateTimeOffset? LastOccurredAt { get; private set; }
    [Id(2)] internal List<CounterBucket> Minutes { get; private set; } = [];
    [Id(3)] internal List<CounterBucket> Hours { get; private set; } = [];
    [Id(4)] internal List<CounterBucket> Days { get; private set; } = [];

    internal int BucketCount => Minutes.Count + Hours.Count + Days.Count;

    public void Record(DateTimeOffset occurredAt, DateTimeOffset now, int count = 1)
    {
        Lifetime += count;
        if (LastOccurredAt is null || occurredAt > LastOccurredAt)
        {
            LastOccurredAt = occurredAt;
        }

        var at = occurredAt.UtcTicks;
        var current = now.UtcTicks;
        Add(Minutes, at / MinuteTicks, current / MinuteTicks, MinuteRetention, count);
        Add(Hours, at / HourTicks, current / HourTicks, HourRetention, count);
        Add(Days, at / DayTicks, current / DayTicks, DayRetention, count);
    }

    /// <summary>
    /// The instants (UTC ticks) at which a bucket held now leaves one of the windows: the only instants at which a
    /// windowed count of this type can fall without a new event.
    /// </summary>
    public IEnumerable<long> WindowExits()
    {
        foreach (var bucket in Minutes)
        {
            yield return ExitOf(bucket, MinuteRetention, MinuteTicks);
        }

        foreach (var bucket in Hours)
        {
            yield return ExitOf(bucket, HourRetention, HourTicks);
        }

        foreach (var bucket in Days)
        {
            foreach (var days in WindowDays)
            {
                yield return ExitOf(bucket, days, DayTicks);
            }
        }
    }

    /// <summary>
    /// The first of <see cref="WindowExits"/> after <paramref name="fromTicks"/>, or <see cref="long.MaxValue"/>. A
    /// bucket's exit from a window grows with its index and buckets are kept sorted, so each window's first exit is a
    /// binary search, not a walk over a year of days.
    /// </summary>
    public long FirstWindowExitAfter(long fromTicks)
    {
        var first = Math.Min(FirstExit(Minutes, MinuteTicks, MinuteRetention, fromTicks), FirstExit(Hours, HourTicks, HourRetention, fromTicks));
        foreach (var days in WindowDays)
        {
            first = Math.Min(first, FirstExit(Days, DayTicks, days, fromTicks));
        }

        return first;
    }

    private static long FirstExit(List<CounterBucket> buckets, long tickLength, int window, long fromTicks)
    {
        var (low, high) = (0, buckets.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (ExitOf(buckets[middle], window, tickLength) > fromTicks)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low < buckets.Count ? ExitOf(buckets[low], window, tickLength) : long.MaxValue;
    }

    /// <summary>The instant (UTC ticks) a bucket leaves a window of <paramref name="window"/> buckets.</summary>
    private static long ExitOf(CounterBucket bucket, int window, long tickLength) => (bucket.Index + window) * tickLength;

    public long Count(CounterWindow window, DateTimeOffset now)
    {
        var current = now.UtcTicks;
        return window switch
        {
            CounterWindow.OneHour => Sum(Minutes, current / MinuteTicks - MinuteRetention),
            CounterWindow.OneDay => Sum(Hours, current / HourTicks - HourRetention),
            CounterWindow.SevenDays => Sum(Days, current / DayTicks - 7),
            CounterWindow.ThirtyDays => Sum(Days, current / DayTicks - 30),
            CounterWindow.NinetyDays => Sum(Days, current / DayTicks - 90),
            CounterWindow.OneYear => Sum(Days, current / DayTicks - DayRetention),
            CounterWindow.Lifetime => Lifetime,
            _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
        };
    }

    /// <summary>Takes back one event counted by <see cref="Record"/> (an event found counted twice when profiles merge).</summary>
    public void Remove(DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (Lifetime > 0)
        {
            Lifetime--;
        }

        var at = occurredAt.UtcTicks;
        var current = now.UtcTicks;
        Add(Minutes, at / MinuteTicks, current / MinuteTicks, MinuteRetention, -1);
        Add(Hours, at / HourTicks, current / HourTicks, HourRetention, -1);
        Add(Days, at / DayTicks, current / DayTicks, DayRetention, -1);
        Minutes.RemoveAll(b => b.Count <= 0);
        Hours.RemoveAll(b => b.Count <= 0);
        Days.RemoveAll(b => b.Count <= 0);
    }

    /// <summary>Adds another counter's counts (used when two records of one customer are combined).</summary>
    public void Absorb(EventCounter other, DateTimeOffset now)
    {
        Lifetime += other.Lifetime;
        if (other.LastOccurredAt > LastOccurredAt || LastOccurredAt is null)
        {
            LastOccurredAt = other.LastOccurredAt;
        }

        var current = now.UtcTicks;
        foreach (var b in other.Minutes)
        {
            Add(Minutes, b.Index, current / MinuteTicks, MinuteRetention, b.Count);
        }

        foreach (var b in other.Hours)
        {
            Add(Hours, b.Index, current / HourTicks, HourRetention, b.Count);
        }

        foreach (var b in other.Days)
        {
            Add(Days, b.Index, current / DayTicks, DayRetention, b.Count);
        }
    }

    private static long Sum(List<CounterBucket> buckets, long excludedUpTo)
    {
        long total = 0;
        for (var i = buckets.Count - 1; i >= 0 && buckets[i].Index > excludedUpTo; i--)
        {
            total += buckets[i].Count;
        }

        return total;
    }

    private static void Add(List<CounterBucket> buckets, long index, long currentIndex, int retention, int count)
    {
        var oldestKept = currentIndex - retention + 1;
        Prune(buckets, oldestKept);
        if (index < oldestKept)
        {
            return;
        }

        // Buckets stay sorted by index; most events land in the newest bucket, so search from the end.
        var i = buckets.Count - 1;
        while (i >= 0 && buckets[i].Index > index)
        {
            i--;
        }

        if (i >= 0 && buckets[i].Index == index)
        {
            var bucket = buckets[i];
            bucket.Count += count;
            buckets[i] = bucket;
        }
        else
        {
            CompactLists.EnsureRoomForOne(buckets);
            buckets.Insert(i + 1, new CounterBucket { Index = index, Count = count });
        }
    }

    private static void Prune(List<CounterBucket> buckets, long oldestKept)
    {
        var stale = 0;
        while (stale < buckets.Count && buckets[stale].Index < oldestKept)
        {
            stale++;
        }

        if (stale > 0)
        {
            buckets.RemoveRange(0, stale);
        }
    }
}
