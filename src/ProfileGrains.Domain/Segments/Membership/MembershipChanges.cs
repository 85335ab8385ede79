namespace ProfileGrains.Domain;

/// <summary>A page of a shard's change log after a sequence number.</summary>
[GenerateSerializer, Immutable, Alias("pg.MembershipChanges")]
public sealed record MembershipChanges(
    [property: Id(0)] IReadOnlyList<MembershipChange> Changes,
    [property: Id(1)] long Head,
    [property: Id(2)] bool Truncated);
