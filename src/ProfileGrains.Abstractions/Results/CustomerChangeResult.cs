namespace ProfileGrains.Abstractions;

[GenerateSerializer, Immutable, Alias("pg.CustomerChangeResult")]
public sealed record CustomerChangeResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] string? Error);
