using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>Memory mode: sharded directory grains; a page merges the shards' sorted pages.</summary>
public sealed class GrainCustomerDirectory(IGrainFactory grainFactory) : ICustomerDirectory
{
    private const int Shards = 16;

    public ValueTask Register(string customerId) =>
        new(grainFactory.GetGrain<ICustomerDirectoryGrain>(SegmentSharding.ShardOf(customerId, Shards)).Register(customerId));

    public Task Remove(string customerId) =>
        grainFactory.GetGrain<ICustomerDirectoryGrain>(SegmentSharding.ShardOf(customerId, Shards)).Remove(customerId);

    public async Task<IReadOnlyList<string>> ListAsync(string? afterCustomerId, int max)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Shards)
            .Select(shard => grainFactory.GetGrain<ICustomerDirectoryGrain>(shard).List(afterCustomerId, max)));
        return [.. pages.SelectMany(p => p).Order(StringComparer.Ordinal).Take(max)];
    }

    public async Task<IReadOnlyList<string>> SampleAsync(double fraction, int max)
    {
        var samples = await Task.WhenAll(Enumerable.Range(0, Shards)
            .Select(shard => grainFactory.GetGrain<ICustomerDirectoryGrain>(shard).Sample(fraction, max)));
        return CustomerSampling.Draw(samples.SelectMany(s => s), fraction, max);
    }

    public async Task<long> CountAsync() =>
        (await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard => grainFactory.GetGrain<ICustomerDirectoryGrain>(shard).Count()))).Sum();
}
