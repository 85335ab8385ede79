using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// A customer's recent exchanges with their payloads — purchases with their lines, pages and products viewed, carts,
/// campaigns, satisfaction, support, reviews, custom events — in the order they happened, whatever order they arrived
/// in. Bounded by <see cref="TimelineLimits"/>: beyond the count the oldest go first, and nothing older than the age
/// limit is kept or shown. Rebuilt by journal replay like every other part of the profile.
/// </summary>
/// <remarks>
/// The entries are kept encoded (<see cref="TimelineCodec"/>) one after the other in one buffer, oldest first, with the
/// offset where each starts: recording an event writes bytes into arrays the profile already holds instead of linking
/// four or five new objects to it, which is what made every young-generation collection trace and promote the events
/// of the last few seconds (see load-tests/README.md, "The timeline in bytes").
/// </remarks>
[GenerateSerializer, Alias("pg.Timeline")]
public sealed class Timeline
{
    // Written by builds before the entries were encoded; moved into the buffer on first use.
    [Id(0)] private List<TimelineEntry>? _legacyEntries;

    // In (occurred at, event id) order. Capacity beyond _length and _count is spare room for the next events.
    [Id(1)] private byte[] _bytes = [];
    [Id(2)] private int[] _starts = [];
    [Id(3)] private int _count;
    [Id(4)] private int _length;

    public int Count
    {
        get
        {
            MoveLegacyEntries();
            return _count;
        }
    }

    /// <summary>Every entry, oldest first, decoded: for the whole record and merges, not for a hot path.</summary>
    public IReadOnlyList<TimelineEntry> All()
    {
        MoveLegacyEntries();
        var all = new TimelineEntry[_count];
        for (var i = 0; i < _count; i++)
        {
            all[i] = TimelineCodec.Decode(EntryAt(i));
        }

        return all;
    }

    /// <summary>Keeps an exchange just counted (a retried event never reaches here: it was not counted twice).</summary>
    public void Record(TrackedEvent e, DateTimeOffset now, TimelineLimits limits)
    {
        MoveLegacyEntries();
        limits = limits.OrDefault();
        if (limits.MaxEntries <= 0 || e.OccurredAt.UtcTicks < Cutoff(now, limits))
        {
            return;
        }

        var ticks = e.OccurredAt.UtcTicks;
        Insert(PlaceOf(ticks, e.EventId), TimelineCodec.Encode(e.EventId, e.Type, ticks, e.Channel, e.Payload));
        Trim(now, limits);
    }

    /// <summary>A merge: both records' exchanges, in order, within the limits.</summary>
    public void Absorb(Timeline other, DateTimeOffset now, TimelineLimits limits)
    {
        MoveLegacyEntries();
        other.MoveLegacyEntries();
        if (other._count == 0)
        {
            return;
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
        {
            known.Add(TimelineCodec.EventId(EntryAt(i)));
        }

        for (var i = 0; i < other._count; i++)
        {
            var entry = other.EntryAt(i);
            var eventId = TimelineCodec.EventId(entry);
            if (known.Add(eventId))
            {
                Insert(PlaceOf(TimelineCodec.Ticks(entry), eventId), entry);
            }
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
        MoveLegacyEntries();
        var cutoff = now.UtcTicks - Math.Min(maxAge.Ticks, now.UtcTicks);
        var start = before is { } b ? PlaceOf(b.Ticks, b.EventId) - 1 : _count - 1;
        var page = new List<TimelineEntry>(Math.Min(max, 64));
        for (var i = start; i >= 0 && TimelineCodec.Ticks(EntryAt(i)) >= cutoff; i--)
        {
            var entry = EntryAt(i);
            if (before is { } bound && Compare(bound.Ticks, bound.EventId, entry) <= 0)
            {
                continue;
            }

            if ((types.Count == 0 || types.Contains(TimelineCodec.Type(entry))) && (channels.Count == 0 || channels.Contains(TimelineCodec.Channel(entry))))
            {
                if (page.Count == max)
                {
                    return (page, true);
                }

                page.Add(TimelineCodec.Decode(entry));
            }
        }

        return (page, false);
    }

    /// <summary>Whether a purchase kept here has a line in <paramref name="category"/>, read in place.</summary>
    public bool BoughtIn(string category)
    {
        MoveLegacyEntries();
        var maxBytes = Encoding.UTF8.GetMaxByteCount(category.Length);
        Span<byte> utf8 = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        utf8 = utf8[..Encoding.UTF8.GetBytes(category, utf8)];
        for (var i = 0; i < _count; i++)
        {
            var entry = EntryAt(i);
            if (TimelineCodec.Type(entry) == EventType.Purchase && TimelineCodec.IsPurchaseIn(entry, utf8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Erasure and the end of a merge: nothing kept.</summary>
    public void Clear()
    {
        _legacyEntries = null;
        _bytes = [];
        _starts = [];
        _count = 0;
        _length = 0;
    }

    private static long Cutoff(DateTimeOffset now, TimelineLimits limits) => now.UtcTicks - Math.Min(limits.MaxAge.Ticks, now.UtcTicks);

    /// <summary>Timeline order: by when it happened, then by event id, so every entry has one place and pages never overlap.</summary>
    private static int Compare(long ticks, string eventId, ReadOnlySpan<byte> entry)
    {
        var byTime = ticks.CompareTo(TimelineCodec.Ticks(entry));
        return byTime != 0 ? byTime : string.CompareOrdinal(eventId, TimelineCodec.EventId(entry));
    }

    private ReadOnlySpan<byte> EntryAt(int index)
    {
        var end = index + 1 < _count ? _starts[index + 1] : _length;
        return _bytes.AsSpan(_starts[index], end - _starts[index]);
    }

    /// <summary>The index of the first entry after (ticks, eventId): where such an entry goes.</summary>
    private int PlaceOf(long ticks, string eventId)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Compare(ticks, eventId, EntryAt(middle)) >= 0)
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

    private void Insert(int index, ReadOnlySpan<byte> entry)
    {
        // Room first, by half again of what is used: a profile that keeps growing reallocates rarely, one that stopped
        // carries at most a third of spare bytes.
        if (_length + entry.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_length + entry.Length, _length + (_length / 2) + 64));
        }

        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, Math.Max(4, _count + (_count / 2)));
        }

        var at = index < _count ? _starts[index] : _length;
        _bytes.AsSpan(at, _length - at).CopyTo(_bytes.AsSpan(at + entry.Length));
        entry.CopyTo(_bytes.AsSpan(at));
        for (var i = _count; i > index; i--)
        {
            _starts[i] = _starts[i - 1] + entry.Length;
        }

        _starts[index] = at;
        _count++;
        _length += entry.Length;
    }

    private void Trim(DateTimeOffset now, TimelineLimits limits)
    {
        var cutoff = Cutoff(now, limits);
        var tooOld = 0;
        while (tooOld < _count && TimelineCodec.Ticks(EntryAt(tooOld)) < cutoff)
        {
            tooOld++;
        }

        var drop = Math.Max(tooOld, _count - limits.MaxEntries);
        if (drop <= 0)
        {
            return;
        }

        var dropped = drop < _count ? _starts[drop] : _length;
        _bytes.AsSpan(dropped, _length - dropped).CopyTo(_bytes);
        for (var i = drop; i < _count; i++)
        {
            _starts[i - drop] = _starts[i] - dropped;
        }

        _count -= drop;
        _length -= dropped;
    }

    private void MoveLegacyEntries()
    {
        if (_legacyEntries is not { } legacy)
        {
            return;
        }

        _legacyEntries = null;
        foreach (var entry in legacy)
        {
            Insert(_count, TimelineCodec.Encode(entry.EventId, entry.Type, entry.OccurredAtTicks, entry.Channel, entry.Payload));
        }
    }
}
