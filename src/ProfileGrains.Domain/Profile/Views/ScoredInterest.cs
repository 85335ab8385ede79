namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ScoredInterest")]
public sealed record ScoredInterest([property: Id(0)] string Key, [property: Id(1)] double Score);
