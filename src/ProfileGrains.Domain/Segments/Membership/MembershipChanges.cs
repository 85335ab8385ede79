namespace ProfileGrains.Domain;

/// <summary>
/// A page of a shard's change log after a sequence number. <see cref="Epoch"/> names this run of the log: sequence
/// numbers of another epoch mean nothing here. Truncated: some changes after the position are no longer kept; Ahead:
/// the position is past anything this log has written.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.MembershipChanges")]
public sealed record MembershipChanges(
    [property: Id(0)] IReadOnlyList<MembershipChange> Changes,
    [property: Id(1)] long Head,
    [property: Id(2)] bool Truncated,
    [property: Id(3)] long Epoch = 0,
    [property: Id(4)] bool Ahead = false);
