namespace ProfileGrains.Domain;

/// <summary>One entry of a shard's change log: a customer entered or left the segment.</summary>
[GenerateSerializer, Immutable, Alias("pg.MembershipChange")]
public sealed record MembershipChange(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] bool Entered,
    [property: Id(3)] DateTimeOffset At)
{
    /// <summary>The change of a customer erased since: it keeps its place in the log and is delivered to nobody.</summary>
    public bool IsErased => CustomerId.Length == 0;
}
