namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CounterView")]
public sealed record CounterView(
    [property: Id(0)] EventType EventType,
    [property: Id(1)] IReadOnlyDictionary<CounterWindow, long> Windows,
    [property: Id(2)] DateTimeOffset? LastOccurredAt);
