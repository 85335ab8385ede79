namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ScorePayload")]
public sealed record ScorePayload([property: Id(0)] int Score, [property: Id(1)] string? Sku) : EventPayload;
