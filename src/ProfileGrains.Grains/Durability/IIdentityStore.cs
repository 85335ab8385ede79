using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>Where identity shards keep their rows: each change is durable before it is acknowledged.</summary>
public interface IIdentityStore
{
    /// <summary>False in memory mode: the shards are all there is, and they never leave memory.</summary>
    bool IsDurable { get; }

    /// <summary>Every row of one shard (out of <paramref name="shardCount"/>).</summary>
    Task<IReadOnlyList<IdentityRow>> LoadShardAsync(int shard, int shardCount, CancellationToken cancellationToken);

    /// <summary>Completes once the row would survive every silo crashing (changes of many shards share one commit).</summary>
    ValueTask WriteAsync(int shard, IdentityRow row);
}
