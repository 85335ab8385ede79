namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ConsentDecision")]
public sealed record ConsentDecision(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ConsentStatus Status,
    [property: Id(2)] DateTimeOffset DecidedAt,
    [property: Id(3)] string? Source);
