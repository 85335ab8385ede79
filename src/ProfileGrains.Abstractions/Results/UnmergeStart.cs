using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>What the survivor says to an unmerge: why not, or the record to restore.</summary>
[GenerateSerializer, Immutable, Alias("pg.UnmergeStart")]
public sealed record UnmergeStart(
    [property: Id(0)] string? Refusal,
    [property: Id(1)] PendingRestore? Restore);
