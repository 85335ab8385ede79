namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.MessageSentPayload")]
public sealed record MessageSentPayload([property: Id(0)] ContactChannel Channel, [property: Id(1)] string? Campaign) : EventPayload;
