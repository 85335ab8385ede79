using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

[GenerateSerializer, Immutable, Alias("pg.TrackResult")]
public sealed record TrackResult(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] TrackOutcome Outcome,
    [property: Id(2)] IReadOnlyList<IdentifierConflict> Conflicts,
    [property: Id(3)] IReadOnlyList<string> MergedCustomerIds);
