using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>An identifier's owner as its shard knows it, with every change of owner, oldest first, and its quarantine if any.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentityOwnership")]
public sealed record IdentityOwnership(
    [property: Id(0)] string? CustomerId,
    [property: Id(1)] IReadOnlyList<IdentityLink> History,
    [property: Id(2)] IdentifierQuarantine? Quarantine = null);
