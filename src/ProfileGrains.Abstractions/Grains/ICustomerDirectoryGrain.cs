using Orleans.Concurrency;

namespace ProfileGrains.Abstractions;

/// <summary>The in-memory customer directory (memory mode): which customers exist, for back-fills. Key: shard number.</summary>
[Alias("pg.ICustomerDirectoryGrain")]
public interface ICustomerDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(string customerId);

    [Alias("Remove")]
    Task Remove(string customerId);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> List(string? afterCustomerId, int max);

    /// <summary>This shard's customers in the sample of <paramref name="fraction"/>, at most <paramref name="max"/> (<see cref="Domain.CustomerSampling"/>).</summary>
    [Alias("Sample"), ReadOnly]
    Task<IReadOnlyList<string>> Sample(double fraction, int max);

    [Alias("Count"), ReadOnly]
    Task<long> Count();
}
