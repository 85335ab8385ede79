using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>
/// One shard of a segment's membership. Key: "{segmentId}/{shard}", shard = stable hash of the customer id. Customers
/// send their notices here directly; a shard never calls anyone.
/// </summary>
[Alias("pg.ISegmentShardGrain")]
public interface ISegmentShardGrain : IGrainWithStringKey
{
    /// <summary>A customer's membership as of its <paramref name="version"/>; older notices than the one held are ignored.</summary>
    [Alias("Apply")]
    Task Apply(string customerId, bool isMember, long version);

    [Alias("Count"), ReadOnly]
    Task<long> Count();

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> List(string? afterCustomerId, int max);

    [Alias("ReadChanges"), ReadOnly]
    Task<MembershipChanges> ReadChanges(long afterSequence, int max);

    [Alias("Clear")]
    Task Clear();

    /// <summary>
    /// Erasure: the customer is forgotten (membership, departure, and its id in the change log, whose positions stay)
    /// and the shard's stored copy is written before this completes.
    /// </summary>
    [Alias("Forget")]
    Task Forget(string customerId);
}
