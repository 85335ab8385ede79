using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Resolves identifiers to a customer, creating one when none is known, then hands the command to that customer.
/// It runs in the calling silo, outside any grain, and coordinates identity and customer grains so neither ever
/// calls the other (no call cycles). A known identifier costs one identity-grain read, or none when this silo's
/// <see cref="IdentityCache"/> remembers it, plus one customer call.
/// </summary>
public sealed class ProfileRouter(IGrainFactory grainFactory, IdentityCache cache)
{
    private const string OwnedElsewhere = "identifier already belongs to another customer; merging is not automatic";

    public async Task<IdentifyResult> Identify(IReadOnlyList<CustomerIdentifier> identifiers, TraitsUpdate traits)
    {
        // Custom attributes merge key by key, so only the customer knows whether they would exceed its limit:
        // ask before linking anything, so that a refused request changes nothing.
        if (traits.Paths.Any(p => p.StartsWith("custom_attributes.", StringComparison.Ordinal)))
        {
            var owners = await Task.WhenAll(identifiers.Distinct().OrderBy(IdentifierStrength).Select(Resolve));
            if (owners.FirstOrDefault(o => o is not null) is { } existing && await Customer(existing).CheckTraits(traits) is { } refusal)
            {
                return new IdentifyResult(existing, false, [], refusal);
            }
        }

        var resolution = await ResolveOrCreate(identifiers);
        var change = await Customer(resolution.CustomerId).Identify(resolution.Linked, traits);
        return new IdentifyResult(resolution.CustomerId, change.Created, resolution.Conflicts, change.Error);
    }

    public async Task<TrackResult> Track(TrackedEvent trackedEvent) => await Apply(trackedEvent, await ResolveOrCreate(trackedEvent.Identifiers));

    public async Task<IReadOnlyList<TrackResult>> TrackBatch(IReadOnlyList<TrackedEvent> events)
    {
        // Resolve every event first, then apply each customer's events in request order (whatever identifiers
        // they came with); different customers proceed in parallel.
        var resolutions = await Task.WhenAll(events.Select(e => ResolveOrCreate(e.Identifiers)));
        var results = new TrackResult[events.Count];
        var byCustomer = Enumerable.Range(0, events.Count).GroupBy(i => resolutions[i].CustomerId, StringComparer.Ordinal);
        await Task.WhenAll(byCustomer.Select(async group =>
        {
            foreach (var index in group)
            {
                results[index] = await Apply(events[index], resolutions[index]);
            }
        }));
        return results;
    }

    private async Task<TrackResult> Apply(TrackedEvent trackedEvent, Resolution resolution)
    {
        var outcome = await Customer(resolution.CustomerId).Track(trackedEvent, resolution.Linked);
        return new TrackResult(resolution.CustomerId, outcome, resolution.Conflicts);
    }

    /// <summary>The customer an identifier belongs to, or null; never creates anything.</summary>
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

    private async Task<Resolution> ResolveOrCreate(IReadOnlyList<CustomerIdentifier> identifiers)
    {
        var ordered = identifiers.Distinct().OrderBy(IdentifierStrength).ToArray();
        var owners = await Task.WhenAll(ordered.Select(Resolve));

        // The strongest identifier that already has an owner decides who the customer is.
        var customerId = owners.FirstOrDefault(o => o is not null);
        var unowned = new List<CustomerIdentifier>();
        var conflicts = new List<IdentifierConflict>();
        for (var i = 0; i < ordered.Length; i++)
        {
            if (owners[i] is null)
            {
                unowned.Add(ordered[i]);
            }
            else if (owners[i] != customerId)
            {
                conflicts.Add(new IdentifierConflict(ordered[i], owners[i]!, OwnedElsewhere));
            }
        }

        if (unowned.Count > 0)
        {
            if (customerId is null)
            {
                // A new customer: whoever claims the strongest identifier first wins a creation race, and we join them.
                customerId = await Identity(unowned[0]).Claim(unowned[0], NewCustomerId());
                cache.Set(unowned[0], customerId);
                unowned.RemoveAt(0);
            }
            else
            {
                // Never claim an identifier for a customer that has no room left to hold it.
                var room = Math.Max(0, await Customer(customerId).GetIdentifierRoom());
                foreach (var excess in unowned.Skip(room))
                {
                    conflicts.Add(new IdentifierConflict(excess, string.Empty, $"the customer already holds the maximum of {Limits.MaxIdentifiersPerCustomer} identifiers"));
                }

                unowned = [.. unowned.Take(room)];
            }

            var claimed = await Task.WhenAll(unowned.Select(id => Identity(id).Claim(id, customerId)));
            for (var i = 0; i < unowned.Count; i++)
            {
                cache.Set(unowned[i], claimed[i]);
                if (claimed[i] != customerId)
                {
                    conflicts.Add(new IdentifierConflict(unowned[i], claimed[i], OwnedElsewhere));
                }
            }
        }

        var linked = conflicts.Count == 0 ? ordered : ordered.Where(id => conflicts.All(c => c.Identifier != id)).ToArray();
        return new Resolution(customerId!, linked, conflicts);
    }

    /// <summary>Identifiers that name a person more reliably come first.</summary>
    private static int IdentifierStrength(CustomerIdentifier id) => id.Type switch
    {
        IdentifierType.CrmId => 0,
        IdentifierType.LoyaltyId => 1,
        IdentifierType.Email => 2,
        IdentifierType.Phone => 3,
        _ => 4,
    };

    private static string NewCustomerId() => Guid.CreateVersion7().ToString("N");

    private IIdentityGrain Identity(CustomerIdentifier id) => grainFactory.GetGrain<IIdentityGrain>(id.ToGrainKey());

    private ICustomerGrain Customer(string customerId) => grainFactory.GetGrain<ICustomerGrain>(customerId);

    private sealed record Resolution(string CustomerId, IReadOnlyList<CustomerIdentifier> Linked, IReadOnlyList<IdentifierConflict> Conflicts);
}
