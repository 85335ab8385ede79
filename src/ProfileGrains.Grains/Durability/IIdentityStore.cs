using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>Where identity shards keep their rows: each change is durable before it is acknowledged.</summary>
public interface IIdentityStore
{
    /// <summary>Every row of one shard.</summary>
    Task<IReadOnlyList<IdentityRow>> LoadShardAsync(int shard, CancellationToken cancellationToken);

    /// <summary>Completes once the row would survive every silo crashing (changes of many shards share one commit).</summary>
    ValueTask WriteAsync(int shard, IdentityRow row);

    /// <summary>Deletes the rows of erased identifiers (absent ones are no error); completes once that is durable.</summary>
    Task DeleteAsync(int shard, IReadOnlyList<IdentityKey> keys);
}
