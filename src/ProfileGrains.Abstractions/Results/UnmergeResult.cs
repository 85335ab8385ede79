using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>A reversed merge: the survivor, the record restored, and the identifiers that went back to it.</summary>
[GenerateSerializer, Immutable, Alias("pg.UnmergeResult")]
public sealed record UnmergeResult(
    [property: Id(0)] string SurvivorCustomerId,
    [property: Id(1)] string RestoredCustomerId,
    [property: Id(2)] IReadOnlyList<CustomerIdentifier> MovedIdentifiers);
