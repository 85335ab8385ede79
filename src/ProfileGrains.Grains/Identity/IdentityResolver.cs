using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Identifiers to customers: one identity-grain read each, or none when this silo's <see cref="IdentityCache"/>
/// remembers the owner. Every claim and re-point it makes is remembered too.
/// </summary>
public sealed class IdentityResolver(IGrainFactory grains, IdentityCache cache)
{
    /// <summary>The customer an identifier belongs to (possibly a merged record: calls follow it), or null; never creates anything.</summary>
    public async Task<string?> Resolve(CustomerIdentifier identifier)
    {
        if (cache.TryGet(identifier, out var cached))
        {
            return cached;
        }

        var owner = await Identity(identifier).GetOwner();
        if (owner is not null)
        {
            cache.Set(identifier, owner);
        }

        return owner;
    }

    /// <summary>Owners as the identity grains know them now, whatever this silo's cache remembers.</summary>
    public async Task<string?[]> ResolveFresh(IReadOnlyList<CustomerIdentifier> identifiers)
    {
        var owners = await Task.WhenAll(identifiers.Select(id => Identity(id).GetOwner()));
        for (var i = 0; i < identifiers.Count; i++)
        {
            if (owners[i] is { } owner)
            {
                cache.Set(identifiers[i], owner);
            }
        }

        return owners;
    }

    /// <summary>Makes the customer the owner if there is none; returns the owner either way.</summary>
    public async Task<string> Claim(CustomerIdentifier identifier, string customerId)
    {
        var owner = await Identity(identifier).Claim(identifier, customerId);
        cache.Set(identifier, owner);
        return owner;
    }

    /// <summary>Moves identifiers still owned by <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task Repoint(IEnumerable<CustomerIdentifier> identifiers, string from, string to, string reason)
    {
        var moved = identifiers as IReadOnlyCollection<CustomerIdentifier> ?? [.. identifiers];
        await Task.WhenAll(moved.Select(id => Identity(id).Repoint(from, to, reason)));
        foreach (var id in moved)
        {
            cache.Set(id, to);
        }
    }

    /// <summary>Null when the identifier may join that many customers now; otherwise why not (it is quarantined).</summary>
    public Task<string?> AuthorizeMerge(CustomerIdentifier identifier, int distinctCustomers) => Identity(identifier).AuthorizeMerge(distinctCustomers);

    public Task<IdentityExplanation> Explain(CustomerIdentifier identifier) => Identity(identifier).Explain(identifier);

    private IIdentityGrain Identity(CustomerIdentifier id) => grains.GetGrain<IIdentityGrain>(id.ToGrainKey());
}
