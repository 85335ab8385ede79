using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Identifiers to customers: each identifier is hashed to its <see cref="IdentityKey"/> once, then costs one call to
/// its identity shard, or none when this silo's <see cref="IdentityCache"/> remembers the owner. Every claim and
/// re-point it makes is remembered too.
/// </summary>
public sealed class IdentityResolver(GrainReferences grains, IdentityCache cache, IdentityKeyHasher hasher, IOptions<ProfileGrainsOptions> options)
{
    private readonly int _shards = options.Value.IdentityShards;

    /// <summary>The customer an identifier belongs to (possibly a merged record: calls follow it), or null; never creates anything.</summary>
    public async Task<string?> Resolve(CustomerIdentifier identifier)
    {
        var key = hasher.KeyOf(identifier);
        if (cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var owner = await Shard(key).GetOwner(key);
        if (owner is not null)
        {
            cache.Set(key, owner);
        }

        return owner;
    }

    /// <summary>Owners as the identity shards know them now, whatever this silo's cache remembers.</summary>
    public async Task<string?[]> ResolveFresh(IReadOnlyList<CustomerIdentifier> identifiers)
    {
        var keys = identifiers.Select(hasher.KeyOf).ToArray();
        var owners = await Task.WhenAll(keys.Select(key => Shard(key).GetOwner(key)));
        for (var i = 0; i < keys.Length; i++)
        {
            if (owners[i] is { } owner)
            {
                cache.Set(keys[i], owner);
            }
        }

        return owners;
    }

    /// <summary>
    /// Makes the customer the owner if there is none; returns the owner either way, or <see cref="IdentityTable.Suppressed"/>
    /// for an erased person's identifier that may not be used again.
    /// </summary>
    public async Task<string> Claim(CustomerIdentifier identifier, string customerId)
    {
        var key = hasher.KeyOf(identifier);
        var owner = await Shard(key).Claim(key, customerId);
        if (owner != IdentityTable.Suppressed)
        {
            cache.Set(key, owner);
        }

        return owner;
    }

    /// <summary>Moves identifiers still owned by <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task Repoint(IEnumerable<CustomerIdentifier> identifiers, string from, string to, string reason)
    {
        var keys = identifiers.Select(hasher.KeyOf).ToArray();
        var owners = await Task.WhenAll(keys.Select(key => Shard(key).Repoint(key, from, to, reason)));
        for (var i = 0; i < keys.Length; i++)
        {
            // Someone else may own it by now: remember who the shard says, not who we hoped.
            if (owners[i] is { } owner)
            {
                cache.Set(keys[i], owner);
            }
        }
    }

    /// <summary>
    /// Erasure: the identifiers owned by one of <paramref name="erasedCustomers"/> are forgotten by their shards (rows
    /// deleted) and by this silo's cache. Returns how many the shards knew.
    /// </summary>
    public Task<int> Erase(IEnumerable<CustomerIdentifier> identifiers, IReadOnlyList<string> erasedCustomers) =>
        EraseKeys([.. identifiers.Select(hasher.KeyOf).Distinct()], erasedCustomers, suppress: false);

    /// <summary>As <see cref="Erase"/>, by key; with <paramref name="suppress"/> the identifiers may never be claimed again.</summary>
    public async Task<int> EraseKeys(IReadOnlyList<IdentityKey> keys, IReadOnlyList<string> erasedCustomers, bool suppress)
    {
        foreach (var key in keys)
        {
            cache.Remove(key);
        }

        var erased = await Task.WhenAll(keys.GroupBy(key => key.Shard(_shards)).Select(shard => grains.IdentityShard(shard.Key).Erase([.. shard], erasedCustomers, suppress)));
        return erased.Sum();
    }

    /// <summary>
    /// Erasure: every identifier still owned by one of <paramref name="erasedCustomers"/>, in any shard, is forgotten,
    /// also those their profiles no longer list. Returns how many there were.
    /// </summary>
    public async Task<int> EraseAllOwnedBy(IReadOnlyList<string> erasedCustomers, bool suppress)
    {
        var erased = await Task.WhenAll(Enumerable.Range(0, _shards).Select(shard => grains.IdentityShard(shard).EraseOwnedBy(erasedCustomers, suppress)));
        return erased.Sum();
    }

    /// <summary>Null when the identifier may join its customer with the others now; otherwise why not (it is quarantined).</summary>
    public Task<string?> AuthorizeMerge(CustomerIdentifier identifier, IReadOnlyList<string> otherCustomers)
    {
        var key = hasher.KeyOf(identifier);
        return Shard(key).AuthorizeMerge(key, otherCustomers);
    }

    public async Task<IdentityExplanation> Explain(CustomerIdentifier identifier)
    {
        var key = hasher.KeyOf(identifier);
        var ownership = await Shard(key).Explain(key);
        return new IdentityExplanation(identifier, ownership.CustomerId, ownership.History, ownership.Quarantine);
    }

    /// <summary>Quarantined identifiers of every shard, oldest quarantine first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<QuarantinedIdentity>> ListQuarantined(int max)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, _shards).Select(shard => grains.IdentityShard(shard).ListQuarantined()));
        return [.. shards.SelectMany(s => s).OrderBy(q => q.Quarantine.Since).Take(max)];
    }

    /// <summary>An operator ends a quarantine early, naming the identifier or, as listed, its key.</summary>
    public async Task<IdentityOwnership> ReleaseQuarantine(IdentityKey key, string reason) => await Shard(key).ReleaseQuarantine(key, reason);

    public IdentityKey KeyOf(CustomerIdentifier identifier) => hasher.KeyOf(identifier);

    private IIdentityShardGrain Shard(IdentityKey key) => grains.IdentityShard(key.Shard(_shards));
}
