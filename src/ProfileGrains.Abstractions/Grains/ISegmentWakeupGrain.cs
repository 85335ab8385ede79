using Orleans.Concurrency;

namespace ProfileGrains.Abstractions;

/// <summary>
/// Wake-ups of customers whose segments change with time. Key: shard number. Holds (instant, customer) pairs and, when
/// an instant comes, tells the customer one-way, so no customer needs a timer of its own or to stay in memory.
/// </summary>
[Alias("pg.ISegmentWakeupGrain")]
public interface ISegmentWakeupGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces the customer's wake-up; null cancels it.</summary>
    [Alias("Schedule")]
    Task Schedule(string customerId, DateTimeOffset? at);

    [Alias("Pending"), ReadOnly]
    Task<int> Pending();
}
