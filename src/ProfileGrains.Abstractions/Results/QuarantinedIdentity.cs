using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>
/// A quarantined identifier as its shard knows it: by its key (the shards hold no identifier values), its customer and
/// its quarantine.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.QuarantinedIdentity")]
public sealed record QuarantinedIdentity(
    [property: Id(0)] IdentityKey Key,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] IdentifierQuarantine Quarantine);
