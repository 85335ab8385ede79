namespace ProfileGrains.Domain;

/// <summary>
/// A customer's recent exchanges with their payloads — purchases with their lines, pages and products viewed, carts,
/// campaigns, satisfaction, support, reviews, custom events — in the order they happened, whatever order they arrived
/// in. Bounded by <see cref="TimelineLimits"/>: beyond the count the oldest go first, and nothing older than the age
/// limit is kept or shown. Rebuilt by journal replay like every other part of the profile.
/// </summary>
[GenerateSerializer, Alias("pg.Timeline")]
public sealed class Timeline
{
    // Oldest first, in (occurred at, event id) order.
    [Id(0)] private List<TimelineEntry> _entries = [];

    public int Count => _entries.Count;

    public IReadOnlyList<TimelineEntry> Entries => _entries;

    /// <summary>Keeps an exchange just counted (a retried event never reaches here: it was not counted twice).</summary>
    public void Record(TrackedEvent e, DateTimeOffset now, TimelineLimits limits)
    {
        limits = limits.OrDefault();
        if (limits.MaxEntries <= 0 || e.OccurredAt.UtcTicks < Cutoff(now, limits))
        {
            return;
        }

        var entry = TimelineEntry.Of(e);
        _entries.Insert(PlaceOf(entry.OccurredAtTicks, entry.EventId), entry);
        Trim(now, limits);
    }

    /// <summary>A merge: both records' exchanges, in order, within the limits.</summary>
    public void Absorb(Timeline other, DateTimeOffset now, TimelineLimits limits)
    {
        if (other._entries.Count == 0)
        {
            return;
        }

        var known = _entries.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in other._entries.Where(e => !known.Contains(e.EventId)))
        {
            _entries.Insert(PlaceOf(entry.OccurredAtTicks, entry.EventId), entry);
        }

        Trim(now, limits.OrDefault());
    }

    /// <summary>
    /// Newest first: the entries strictly before <paramref name="before"/> (a previous page's last entry; null: from the
    /// newest) that match the filters (empty: any), within the age limit at <paramref name="now"/>, at most
    /// <paramref name="max"/>, and whether more remain.
    /// </summary>
    public (IReadOnlyList<TimelineEntry> Page, bool More) Read(
        IReadOnlySet<EventType> types,
        IReadOnlySet<Channel> channels,
        (long Ticks, string EventId)? before,
        int max,
        DateTimeOffset now,
        TimeSpan maxAge)
    {
        var cutoff = now.UtcTicks - Math.Min(maxAge.Ticks, now.UtcTicks);
        var start = before is { } b ? PlaceOf(b.Ticks, b.EventId) - 1 : _entries.Count - 1;
        var page = new List<TimelineEntry>(Math.Min(max, 64));
        for (var i = start; i >= 0 && _entries[i].OccurredAtTicks >= cutoff; i--)
        {
            var entry = _entries[i];
            if (before is { } bound && TimelineEntry.Compare(bound.Ticks, bound.EventId, entry) <= 0)
            {
                continue;
            }

            if ((types.Count == 0 || types.Contains(entry.Type)) && (channels.Count == 0 || channels.Contains(entry.Channel)))
            {
                if (page.Count == max)
                {
                    return (page, true);
                }

                page.Add(entry);
            }
        }

        return (page, false);
    }

    /// <summary>Erasure and the end of a merge: nothing kept.</summary>
    public void Clear() => _entries.Clear();

    private static long Cutoff(DateTimeOffset now, TimelineLimits limits) => now.UtcTicks - Math.Min(limits.MaxAge.Ticks, now.UtcTicks);

    /// <summary>The index of the first entry after (ticks, eventId): where such an entry goes.</summary>
    private int PlaceOf(long ticks, string eventId)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (TimelineEntry.Compare(ticks, eventId, _entries[middle]) >= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private void Trim(DateTimeOffset now, TimelineLimits limits)
    {
        var cutoff = Cutoff(now, limits);
        var tooOld = 0;
        while (tooOld < _entries.Count && _entries[tooOld].OccurredAtTicks < cutoff)
        {
            tooOld++;
        }

        var drop = Math.Max(tooOld, _entries.Count - limits.MaxEntries);
        if (drop > 0)
        {
            _entries.RemoveRange(0, drop);
        }
    }
}
