using Microsoft.Extensions.Logging;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// One shard of the identity map (<see cref="IdentityTable"/>). Changes are written before they are acknowledged:
/// they are rare (a claim, a merge) and a lost one would let two customers own one identifier. A write the store
/// refused leaves the table ahead of storage, so the shard drops out of memory and reloads what is durable.
/// Kept in memory: every lookup of every customer comes here, and in memory mode the table is all there is.
/// </summary>
[GrainType(GrainReferences.IdentityShardType), KeepAlive]
public sealed class IdentityShardGrain(
    IIdentityStore store,
    EngineClock clock,
    IdentityProtectionPolicy protection,
    ILogger<IdentityShardGrain> logger) : Grain, IIdentityShardGrain
{
    private readonly IdentityTable _table = new();
    private bool _discarded;

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var row in await store.LoadShardAsync(Shard, cancellationToken))
        {
            _table.Load(row);
        }
    }

    public Task<string?> GetOwner(IdentityKey key)
    {
        ThrowIfDiscarded();
        return Task.FromResult(_table.OwnerOf(key));
    }

    public async Task<string> Claim(IdentityKey key, string customerId)
    {
        ThrowIfDiscarded();
        var (owner, changed) = _table.Claim(key, customerId, clock.GetUtcNow());
        await Persist(changed);
        return owner;
    }

    public async Task<string?> Repoint(IdentityKey key, string fromCustomerId, string toCustomerId, string reason)
    {
        ThrowIfDiscarded();
        var (owner, changed) = _table.Repoint(key, fromCustomerId, toCustomerId, reason, clock.GetUtcNow());
        await Persist(changed);
        return owner;
    }

    public Task<IdentityOwnership> Explain(IdentityKey key)
    {
        ThrowIfDiscarded();
        var (owner, history) = _table.Explain(key);
        return Task.FromResult(new IdentityOwnership(owner, history));
    }

    public async Task<string?> AuthorizeMerge(IdentityKey key, int distinctCustomers)
    {
        ThrowIfDiscarded();
        var (refusal, changed) = _table.AuthorizeMerge(key, distinctCustomers, clock.GetUtcNow(), protection);
        await Persist(changed);
        return refusal;
    }

    private async ValueTask Persist(IdentityRow? changed)
    {
        if (changed is null)
        {
            return;
        }

        try
        {
            await store.WriteAsync(Shard, changed);
        }
        catch (Exception e)
        {
            _discarded = true;
            DeactivateOnIdle();
            logger.LogWarning(e, "Identity shard {Shard} could not store a change; it reloads from storage", Shard);
            throw new StorageUnavailableException("durable storage did not take the identity change; it was not applied, retry");
        }
    }

    private void ThrowIfDiscarded()
    {
        if (_discarded)
        {
            throw new StorageUnavailableException("this identity shard is reloading from durable storage; retry");
        }
    }
}
