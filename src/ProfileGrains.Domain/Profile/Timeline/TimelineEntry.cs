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
}
