using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Every customer that exists, for work that must reach customers not in memory (segment back-fills). In postgres mode
/// the journal registers customers in a table as it writes their first change; in memory mode directory grains do.
/// </summary>
public interface ICustomerDirectory
{
    /// <summary>Called once when a customer is created.</summary>
    ValueTask Register(string customerId);

    /// <summary>Customer ids in ordinal order after <paramref name="afterCustomerId"/>, a page at a time.</summary>
    Task<IReadOnlyList<string>> ListAsync(string? afterCustomerId, int max);

    Task<long> CountAsync();
}

/// <summary>Memory mode: sharded directory grains; a page merges the shards' sorted pages.</summary>
public sealed class GrainCustomerDirectory(IGrainFactory grainFactory) : ICustomerDirectory
{
    private const int Shards = 16;

    public ValueTask Register(string customerId) =>
        new(grainFactory.GetGrain<ICustomerDirectoryGrain>(SegmentSharding.ShardOf(customerId, Shards)).Register(customerId));

    public async Task<IReadOnlyList<string>> ListAsync(string? afterCustomerId, int max)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Shards)
            .Select(shard => grainFactory.GetGrain<ICustomerDirectoryGrain>(shard).List(afterCustomerId, max)));
        return [.. pages.SelectMany(p => p).Order(StringComparer.Ordinal).Take(max)];
    }

    public async Task<long> CountAsync() =>
        (await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard => grainFactory.GetGrain<ICustomerDirectoryGrain>(shard).Count()))).Sum();
}

[GenerateSerializer, Alias("pg.CustomerDirectoryState")]
public sealed class CustomerDirectoryState
{
    [Id(0)] public SortedSet<string> CustomerIds { get; set; } = new(StringComparer.Ordinal);
}

[GrainType("customer-directory")]
public sealed class CustomerDirectoryGrain : Grain, ICustomerDirectoryGrain
{
    private readonly CoalescedState<CustomerDirectoryState> _state;

    public CustomerDirectoryGrain(
        [PersistentState("directory", StorageNames.Segments)] IPersistentState<CustomerDirectoryState> state,
        Microsoft.Extensions.Options.IOptions<ProfileEngineOptions> options)
    {
        _state = new CoalescedState<CustomerDirectoryState>(state, this, options.Value.StateFlushInterval);
    }

    private CustomerDirectoryState State => _state.Value;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.FlushAsync();

    public Task Register(string customerId)
    {
        if (State.CustomerIds.Add(customerId))
        {
            _state.MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> List(string? afterCustomerId, int max)
    {
        var all = State.CustomerIds;
        IEnumerable<string> ids = afterCustomerId is null || all.Count == 0
            ? all
            : string.CompareOrdinal(afterCustomerId, all.Max) >= 0
                ? []
                : all.GetViewBetween(afterCustomerId, all.Max!).Where(id => id != afterCustomerId);
        return Task.FromResult<IReadOnlyList<string>>([.. ids.Take(max)]);
    }

    public Task<long> Count() => Task.FromResult((long)State.CustomerIds.Count);
}
