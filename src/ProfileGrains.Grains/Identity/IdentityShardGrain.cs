using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// One shard of the identity map (<see cref="IdentityTable"/>). Changes are written before they are acknowledged:
/// a lost one would let two customers own one identifier. A write the store refused leaves the table ahead of
/// storage, so the shard drops out of memory and reloads what is durable.
/// Kept in memory: every lookup of every customer comes here, and in memory mode the table is all there is.
/// <para>
/// Reentrant, because a shard serves thousands of identifiers: while one identifier's change is being committed,
/// the others are read and claimed (their writes join the same group commit). Only calls about an identifier whose
/// change is still being written wait for it, so nobody acts on an owner that is not durable yet.
/// </para>
/// </summary>
[GrainType(GrainReferences.IdentityShardType), KeepAlive, Reentrant]
public sealed class IdentityShardGrain(
    IIdentityStore store,
    EngineClock clock,
    IdentityProtectionPolicy protection,
    ILogger<IdentityShardGrain> logger) : Grain, IIdentityShardGrain
{
    private readonly IdentityTable _table = new();
    private readonly Dictionary<IdentityKey, Task> _writing = [];
    private bool _discarded;

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var row in await store.LoadShardAsync(Shard, cancellationToken))
        {
            _table.Load(row);
        }
    }

    public Task<string?> GetOwner(IdentityKey key) =>
        IsSettled(key) ? Task.FromResult(_table.OwnerOf(key)) : AfterWrite(key, () => _table.OwnerOf(key));

    public async Task<string> Claim(IdentityKey key, string customerId)
    {
        await UntilSettled(key);
        var (owner, changed) = _table.Claim(key, customerId, clock.GetUtcNow());
        await Persist(key, changed);
        return owner;
    }

    public async Task<string?> Repoint(IdentityKey key, string fromCustomerId, string toCustomerId, string reason)
    {
        await UntilSettled(key);
        var (owner, changed) = _table.Repoint(key, fromCustomerId, toCustomerId, reason, clock.GetUtcNow());
        await Persist(key, changed);
        return owner;
    }

    public async Task<IdentityOwnership> Explain(IdentityKey key)
    {
        await UntilSettled(key);
        var (owner, history, quarantine) = _table.Explain(key, clock.GetUtcNow());
        return new IdentityOwnership(owner, history, quarantine);
    }

    public async Task<string?> AuthorizeMerge(IdentityKey key, IReadOnlyList<string> otherCustomers)
    {
        await UntilSettled(key);
        var (refusal, changed) = _table.AuthorizeMerge(key, otherCustomers, clock.GetUtcNow(), protection);
        await Persist(key, changed);
        return refusal;
    }

    public Task<IReadOnlyList<QuarantinedIdentity>> ListQuarantined()
    {
        ThrowIfDiscarded();
        return Task.FromResult<IReadOnlyList<QuarantinedIdentity>>([.. _table.Quarantined(clock.GetUtcNow()).Select(q => new QuarantinedIdentity(q.Key, q.Owner, q.Quarantine))]);
    }

    public async Task<IdentityOwnership> ReleaseQuarantine(IdentityKey key, string reason)
    {
        await UntilSettled(key);
        var now = clock.GetUtcNow();
        await Persist(key, _table.ReleaseQuarantine(key, reason, now));
        var (owner, history, quarantine) = _table.Explain(key, now);
        return new IdentityOwnership(owner, history, quarantine);
    }

    public async Task<int> Erase(IReadOnlyList<IdentityKey> keys, IReadOnlyList<string> erasedCustomers, bool suppress)
    {
        foreach (var key in keys)
        {
            await UntilSettled(key);
        }

        var erased = erasedCustomers.ToHashSet(StringComparer.Ordinal);
        IdentityKey[] distinct = [.. keys.Distinct()];
        var removed = distinct.Count(key => _table.Erase(key, erased));
        var now = clock.GetUtcNow();
        try
        {
            // Every key nobody owns is deleted, also those gone already: a resumed erasure finds the rows a crash left.
            // A key a newcomer claimed since, or suppressed already, keeps its row.
            await store.DeleteAsync(Shard, [.. distinct.Where(key => _table.OwnerOf(key) is null && !_table.IsSuppressed(key))]);
            if (suppress)
            {
                foreach (var row in distinct.Select(key => _table.Suppress(key, now)).OfType<IdentityRow>())
                {
                    await store.WriteAsync(Shard, row);
                }
            }
        }
        catch (Exception e)
        {
            Discard(e, "delete erased identifiers");
            throw Reloading();
        }

        return removed;
    }

    public Task<int> EraseOwnedBy(IReadOnlyList<string> erasedCustomers, bool suppress)
    {
        ThrowIfDiscarded();
        var owned = _table.KeysOwnedBy(erasedCustomers);
        return owned.Count == 0 ? Task.FromResult(0) : Erase(owned, erasedCustomers, suppress);
    }

    /// <summary>Nothing about this identifier is being written: what the table says of it is durable.</summary>
    private bool IsSettled(IdentityKey key)
    {
        ThrowIfDiscarded();
        return _writing.Count == 0 || !_writing.TryGetValue(key, out var write) || write.IsCompletedSuccessfully;
    }

    private async Task<T> AfterWrite<T>(IdentityKey key, Func<T> read)
    {
        await UntilSettled(key);
        return read();
    }

    /// <summary>Waits for the writes of this identifier in progress; a failed one discards the shard, and this throws.</summary>
    private async ValueTask UntilSettled(IdentityKey key)
    {
        ThrowIfDiscarded();
        while (_writing.TryGetValue(key, out var write) && !write.IsCompletedSuccessfully)
        {
            try
            {
                await write;
            }
            catch (Exception)
            {
                throw Reloading();
            }
        }

        ThrowIfDiscarded();
    }

    private async ValueTask Persist(IdentityKey key, IdentityRow? changed)
    {
        if (changed is null)
        {
            return;
        }

        var write = store.WriteAsync(Shard, changed);
        if (write.IsCompletedSuccessfully)
        {
            return;
        }

        var pending = write.AsTask();
        _writing[key] = pending;
        try
        {
            await pending;
        }
        catch (Exception e)
        {
            Discard(e, "store a change");
            throw new StorageUnavailableException("durable storage did not take the identity change; it was not applied, retry");
        }
        finally
        {
            // A later change of the same identifier may have started once this one was durable: that one stays tracked.
            if (_writing.TryGetValue(key, out var current) && current == pending)
            {
                _writing.Remove(key);
            }
        }
    }

    /// <summary>A write the store refused: the table may hold what storage does not, so the shard reloads from storage.</summary>
    private void Discard(Exception cause, string what)
    {
        _discarded = true;
        DeactivateOnIdle();
        logger.LogWarning(cause, "Identity shard {Shard} could not {What}; it reloads from storage", Shard, what);
    }

    private void ThrowIfDiscarded()
    {
        if (_discarded)
        {
            throw Reloading();
        }
    }

    private static StorageUnavailableException Reloading() => new("this identity shard is reloading from durable storage; retry");
}
