using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>Memory mode: identity shards live in this process only, so there is nothing to write.</summary>
public sealed class NoIdentityStore : IIdentityStore
{
    public Task<IReadOnlyList<IdentityRow>> LoadShardAsync(int shard, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdentityRow>>([]);

    public ValueTask WriteAsync(int shard, IdentityRow row) => ValueTask.CompletedTask;

    public Task DeleteAsync(int shard, IReadOnlyList<IdentityKey> keys) => Task.CompletedTask;
}
