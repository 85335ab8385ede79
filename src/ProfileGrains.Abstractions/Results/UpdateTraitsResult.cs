using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

[GenerateSerializer, Immutable, Alias("pg.UpdateTraitsResult")]
public sealed record UpdateTraitsResult(
    [property: Id(0)] ProfileView? Profile,
    [property: Id(1)] string? Error);
