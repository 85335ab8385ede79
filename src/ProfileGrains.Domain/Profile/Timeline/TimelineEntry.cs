namespace ProfileGrains.Domain;

/// <summary>One exchange as the customer had it: what, when, where, and everything its event carried.</summary>
[GenerateSerializer, Immutable, Alias("pg.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] string EventId,
    [property: Id(1)] EventType Type,
    [property: Id(2)] long OccurredAtTicks,
    [property: Id(3)] Channel Channel,
    [property: Id(4)] EventPayload? Payload)
{
    public DateTimeOffset OccurredAt => new(OccurredAtTicks, TimeSpan.Zero);

    /// <summary>The event's payload is immutable and shared, not copied.</summary>
    public static TimelineEntry Of(TrackedEvent e) => new(e.EventId, e.Type, e.OccurredAt.UtcTicks, e.Channel, e.Payload);

    /// <summary>Timeline order: by when it happened, then by event id, so every entry has one place and pages never overlap.</summary>
    public static int Compare(long ticks, string eventId, TimelineEntry other)
    {
        var byTime = ticks.CompareTo(other.OccurredAtTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(eventId, other.EventId);
    }
}
