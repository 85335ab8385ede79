namespace ProfileGrains.Domain;

/// <summary>A validated event, identifiers already normalized.</summary>
[GenerateSerializer, Immutable, Alias("pg.TrackedEvent")]
public sealed record TrackedEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] EventType Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] Channel Channel,
    [property: Id(4)] IReadOnlyList<CustomerIdentifier> Identifiers,
    [property: Id(5)] EventPayload? Payload);
