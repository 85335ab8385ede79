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

    // Written by builds before the three tiers shared one array; moved into it on first use.
    [Id(2)] private List<CounterBucket>? _legacyMinutes;
    [Id(3)] private List<CounterBucket>? _legacyHours;
    [Id(4)] private List<CounterBucket>? _legacyDays;

    // The minute buckets, then the hour buckets, then the day buckets, each tier sorted by index; spare room at the end.
    // One array instead of three lists: a profile holds a counter per event type it has seen, by the million.
    [Id(5)] private CounterBucket[] _buckets = [];
    [Id(6)] private int _minuteCount;
    [Id(7)] private int _hourCount;
    [Id(8)] private int _dayCount;

    private enum Tier
    {
        Minutes,
        Hours,
        Days,
    }

    internal int BucketCount
    {
        get
        {
            MoveLegacyTiers();
            return Used;
        }
    }

    /// <summary>Copies of the tiers, for tests.</summary>
    internal CounterBucket[] Minutes => Copy(Tier.Minutes);

    internal CounterBucket[] Hours => Copy(Tier.Hours);

    internal CounterBucket[] Days => Copy(Tier.Days);

    private int Used => _minuteCount + _hourCount + _dayCount;

    public void Record(DateTimeOffset occurredAt, DateTimeOffset now, int count = 1)
    {
        MoveLegacyTiers();
        Lifetime += count;
        if (LastOccurredAt is null || occurredAt > LastOccurredAt)
        {
            LastOccurredAt = occurredAt;
        }

        AddToEveryTier(occurredAt.UtcTicks, now.UtcTicks, count);
    }

    /// <summary>
    /// The instants (UTC ticks) at which a bucket held now leaves one of the windows: the only instants at which a
    /// windowed count of this type can fall without a new event.
    /// </summary>
    public IEnumerable<long> WindowExits()
    {
        MoveLegacyTiers();
        for (var i = 0; i < _minuteCount; i++)
        {
            yield return ExitOf(_buckets[i], MinuteRetention, MinuteTicks);
        }

        for (var i = _minuteCount; i < _minuteCount + _hourCount; i++)
        {
            yield return ExitOf(_buckets[i], HourRetention, HourTicks);
        }

        for (var i = _minuteCount + _hourCount; i < Used; i++)
        {
            foreach (var days in WindowDays)
            {
                yield return ExitOf(_buckets[i], days, DayTicks);
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
        MoveLegacyTiers();
        var first = Math.Min(FirstExit(Of(Tier.Minutes), MinuteTicks, MinuteRetention, fromTicks), FirstExit(Of(Tier.Hours), HourTicks, HourRetention, fromTicks));
        foreach (var days in WindowDays)
        {
            first = Math.Min(first, FirstExit(Of(Tier.Days), DayTicks, days, fromTicks));
        }

        return first;
    }

    public long Count(CounterWindow window, DateTimeOffset now)
    {
        MoveLegacyTiers();
        var current = now.UtcTicks;
        return window switch
        {
            CounterWindow.OneHour => Sum(Of(Tier.Minutes), current / MinuteTicks - MinuteRetention),
            CounterWindow.OneDay => Sum(Of(Tier.Hours), current / HourTicks - HourRetention),
            CounterWindow.SevenDays => Sum(Of(Tier.Days), current / DayTicks - 7),
            CounterWindow.ThirtyDays => Sum(Of(Tier.Days), current / DayTicks - 30),
            CounterWindow.NinetyDays => Sum(Of(Tier.Days), current / DayTicks - 90),
            CounterWindow.OneYear => Sum(Of(Tier.Days), current / DayTicks - DayRetention),
            CounterWindow.Lifetime => Lifetime,
            _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
        };
    }

    /// <summary>Takes back one event counted by <see cref="Record"/> (an event found counted twice when profiles merge).</summary>
    public void Remove(DateTimeOffset occurredAt, DateTimeOffset now)
    {
        MoveLegacyTiers();
        if (Lifetime > 0)
        {
            Lifetime--;
        }

        AddToEveryTier(occurredAt.UtcTicks, now.UtcTicks, -1);
        foreach (var tier in (ReadOnlySpan<Tier>)[Tier.Minutes, Tier.Hours, Tier.Days])
        {
            for (var i = CountOf(tier) - 1; i >= 0; i--)
            {
                if (_buckets[Start(tier) + i].Count <= 0)
                {
                    RemoveRange(tier, i, 1);
                }
            }
        }
    }

    /// <summary>Adds another counter's counts (used when two records of one customer are combined).</summary>
    public void Absorb(EventCounter other, DateTimeOffset now)
    {
        MoveLegacyTiers();
        other.MoveLegacyTiers();
        Lifetime += other.Lifetime;
        if (other.LastOccurredAt > LastOccurredAt || LastOccurredAt is null)
        {
            LastOccurredAt = other.LastOccurredAt;
        }

        var current = now.UtcTicks;
        foreach (var b in other.Of(Tier.Minutes))
        {
            Add(Tier.Minutes, b.Index, current / MinuteTicks, MinuteRetention, b.Count);
        }

        foreach (var b in other.Of(Tier.Hours))
        {
            Add(Tier.Hours, b.Index, current / HourTicks, HourRetention, b.Count);
        }

        foreach (var b in other.Of(Tier.Days))
        {
            Add(Tier.Days, b.Index, current / DayTicks, DayRetention, b.Count);
        }
    }

    private static long FirstExit(ReadOnlySpan<CounterBucket> buckets, long tickLength, int window, long fromTicks)
    {
        var (low, high) = (0, buckets.Length);
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

        return low < buckets.Length ? ExitOf(buckets[low], window, tickLength) : long.MaxValue;
    }

    /// <summary>The instant (UTC ticks) a bucket leaves a window of <paramref name="window"/> buckets.</summary>
    private static long ExitOf(CounterBucket bucket, int window, long tickLength) => (bucket.Index + window) * tickLength;

    private static long Sum(ReadOnlySpan<CounterBucket> buckets, long excludedUpTo)
    {
        long total = 0;
        for (var i = buckets.Length - 1; i >= 0 && buckets[i].Index > excludedUpTo; i--)
        {
            total += buckets[i].Count;
        }

        return total;
    }

    private void AddToEveryTier(long at, long current, int count)
    {
        Add(Tier.Minutes, at / MinuteTicks, current / MinuteTicks, MinuteRetention, count);
        Add(Tier.Hours, at / HourTicks, current / HourTicks, HourRetention, count);
        Add(Tier.Days, at / DayTicks, current / DayTicks, DayRetention, count);
    }

    private void Add(Tier tier, long index, long currentIndex, int retention, int count)
    {
        var oldestKept = currentIndex - retention + 1;
        var buckets = Of(tier);
        var stale = 0;
        while (stale < buckets.Length && buckets[stale].Index < oldestKept)
        {
            stale++;
        }

        RemoveRange(tier, 0, stale);
        if (index < oldestKept)
        {
            return;
        }

        // Buckets stay sorted by index; most events land in the newest bucket, so search from the end.
        buckets = Of(tier);
        var i = buckets.Length - 1;
        while (i >= 0 && buckets[i].Index > index)
        {
            i--;
        }

        if (i >= 0 && buckets[i].Index == index)
        {
            buckets[i].Count += count;
        }
        else
        {
            Insert(tier, i + 1, new CounterBucket { Index = index, Count = count });
        }
    }

    private Span<CounterBucket> Of(Tier tier) => _buckets.AsSpan(Start(tier), CountOf(tier));

    private CounterBucket[] Copy(Tier tier)
    {
        MoveLegacyTiers();
        return Of(tier).ToArray();
    }

    private int Start(Tier tier) => tier switch
    {
        Tier.Minutes => 0,
        Tier.Hours => _minuteCount,
        _ => _minuteCount + _hourCount,
    };

    private ref int CountOf(Tier tier)
    {
        if (tier == Tier.Minutes)
        {
            return ref _minuteCount;
        }

        return ref tier == Tier.Hours ? ref _hourCount : ref _dayCount;
    }

    private void RemoveRange(Tier tier, int from, int count)
    {
        if (count == 0)
        {
            return;
        }

        var at = Start(tier) + from;
        Array.Copy(_buckets, at + count, _buckets, at, Used - at - count);
        CountOf(tier) -= count;
    }

    private void Insert(Tier tier, int position, CounterBucket bucket)
    {
        var used = Used;
        if (used == _buckets.Length)
        {
            // Most customers have a handful of buckets per type.
            Array.Resize(ref _buckets, CompactLists.CapacityForOneMore(used));
        }

        var at = Start(tier) + position;
        Array.Copy(_buckets, at, _buckets, at + 1, used - at);
        _buckets[at] = bucket;
        CountOf(tier)++;
    }

    private void MoveLegacyTiers()
    {
        if (_legacyMinutes is null && _legacyHours is null && _legacyDays is null)
        {
            return;
        }

        CounterBucket[] all = [.. _legacyMinutes ?? [], .. _legacyHours ?? [], .. _legacyDays ?? []];
        (_buckets, _minuteCount, _hourCount, _dayCount) = (all, _legacyMinutes?.Count ?? 0, _legacyHours?.Count ?? 0, all.Length - (_legacyMinutes?.Count ?? 0) - (_legacyHours?.Count ?? 0));
        (_legacyMinutes, _legacyHours, _legacyDays) = (null, null, null);
    }
}
