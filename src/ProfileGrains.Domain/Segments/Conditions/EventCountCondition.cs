namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.EventCountCondition")]
public sealed record EventCountCondition(
    [property: Id(0)] EventType EventType,
    [property: Id(1)] CounterWindow Window,
    [property: Id(2)] Comparison Comparison,
    [property: Id(3)] long Value) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        Compare(profile.Counters.Count(EventType, Window, now), Comparison, Value);
}
