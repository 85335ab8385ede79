namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.SupportPayload")]
public sealed record SupportPayload([property: Id(0)] string? Topic) : EventPayload;
