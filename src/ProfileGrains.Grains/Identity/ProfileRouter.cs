using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Resolves identifiers to a customer, creating one when none is known and merging records when identifiers of two
/// customers arrive together, then hands the command to that customer. It runs in the calling silo, outside any grain,
/// and coordinates identity and customer grains so neither ever calls the other (no call cycles).
/// A known identifier costs one identity-grain read, or none when this silo's <see cref="IdentityCache"/> remembers it,
/// plus one customer call.
/// </summary>
public sealed class ProfileRouter(IGrainFactory grainFactory, IdentityCache cache, EngineClock clock, IdentityProtectionPolicy protection)
{
    /// <summary>Tombstone hops followed before giving up; chains are repaired as they are followed.</summary>
    public const int MaxForwardingHops = 8;

    private const string OwnedElsewhere = "identifier already belongs to another customer";

    public async Task<IdentifyResult> Identify(IReadOnlyList<CustomerIdentifier> identifiers, TraitsUpdate traits)
    {
        // Custom attributes merge key by key, so only the customer knows whether they would exceed its limit:
        // ask before linking anything, so that a refused request changes nothing.
        if (traits.Paths.Any(p => p.StartsWith("custom_attributes.", StringComparison.Ordinal)))
        {
            var owners = await Task.WhenAll(identifiers.Distinct().OrderBy(IdentifierStrength).Select(Resolve));
            if (owners.FirstOrDefault(o => o is not null) is { } existing)
            {
                var (owner, refusal) = await CallCustomer(existing, c => c.CheckTraits(traits));
                if (refusal is not null)
                {
                    return new IdentifyResult(owner, false, [], refusal, []);
                }
            }
        }

        var resolution = await ResolveOrCreate(identifiers);
        var (customerId, change) = await CallCustomer(resolution, c => c.Identify(resolution.Linked, traits));
        return new IdentifyResult(customerId, change.Created, resolution.Conflicts, change.Error, resolution.Merged);
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

    /// <summary>Calls a customer, following merge tombstones; returns the customer that answered.</summary>
    public async Task<(string CustomerId, T Result)> CallCustomer<T>(string customerId, Func<ICustomerGrain, Task<T>> call)
    {
        var current = customerId;
        for (var hop = 0; hop <= MaxForwardingHops; hop++)
        {
            try
            {
                return (current, await call(Customer(current)));
            }
            catch (CustomerMergedException moved)
            {
                if (!moved.Completed)
                {
                    // A merge left half done (its coordinator died, or is still at it): finishing it is idempotent.
                    var copy = await Customer(moved.CustomerId).BeginMergeInto(moved.MergedInto);
                    await FinishMerge(moved.CustomerId, copy, copy.MergedInto ?? moved.MergedInto, trigger: null);
                }

                current = moved.MergedInto;
            }
        }

        throw new InvalidOperationException($"customer {customerId} forwards through more than {MaxForwardingHops} merges");
    }

    public async Task<IdentityExplanation> Explain(CustomerIdentifier identifier) => await Identity(identifier).Explain(identifier);

    private async Task<TrackResult> Apply(TrackedEvent trackedEvent, Resolution resolution)
    {
        var (customerId, outcome) = await CallCustomer(resolution, c => c.Track(trackedEvent, resolution.Linked));
        return new TrackResult(customerId, outcome, resolution.Conflicts, resolution.Merged);
    }

    /// <summary>Calls the resolved customer; when it had been merged, the identifiers that led to it are repaired.</summary>
    private async Task<(string CustomerId, T Result)> CallCustomer<T>(Resolution resolution, Func<ICustomerGrain, Task<T>> call)
    {
        var (customerId, result) = await CallCustomer(resolution.CustomerId, call);
        if (customerId != resolution.CustomerId)
        {
            await Task.WhenAll(resolution.Linked.Select(id => Identity(id).Repoint(resolution.CustomerId, customerId, "repaired: followed a merge")));
            foreach (var id in resolution.Linked)
            {
                cache.Set(id, customerId);
            }
        }

        return (customerId, result);
    }

    private async Task<Resolution> ResolveOrCreate(IReadOnlyList<CustomerIdentifier> identifiers)
    {
        var conflicts = new List<IdentifierConflict>();
        var merged = new List<string>();

        // Junk values ("test@test.com", "0000") identify nobody: never resolved, never linked, reported.
        var usable = new List<CustomerIdentifier>();
        foreach (var id in identifiers.Distinct().OrderBy(IdentifierStrength))
        {
            if (protection.IsBlocked(id, out var reason))
            {
                conflicts.Add(new IdentifierConflict(id, string.Empty, "blocked: " + reason));
            }
            else
            {
                usable.Add(id);
            }
        }

        if (usable.Count == 0)
        {
            throw new InvalidOperationException("every identifier is blocked; the gateway refuses such requests before routing");
        }

        var ordered = usable.ToArray();
        var owners = await Task.WhenAll(ordered.Select(Resolve));

        // Identifiers of several customers arriving together say they are one person: merge them into the oldest,
        // unless an identifier has been pulling too many people together (quarantine: every identifier that takes part
        // in a merge is counted, so a shared shop phone is caught whatever else it comes with) or the result would hold
        // more values of a type than one person has (two loyalty cards are two people).
        var distinctOwners = owners.OfType<string>().Distinct(StringComparer.Ordinal).Count();
        if (distinctOwners > 1)
        {
            // This silo's cache may remember an owner merged elsewhere since: ask the identity grains before counting
            // anything against an identifier's merge budget.
            owners = await Task.WhenAll(ordered.Select(id => Identity(id).GetOwner()));
            for (var i = 0; i < ordered.Length; i++)
            {
                if (owners[i] is { } fresh)
                {
                    cache.Set(ordered[i], fresh);
                }
            }

            distinctOwners = owners.OfType<string>().Distinct(StringComparer.Ordinal).Count();
        }

        if (distinctOwners > 1)
        {
            var owned = Enumerable.Range(0, ordered.Length).Where(i => owners[i] is not null).ToArray();
            var verdicts = await Task.WhenAll(owned.Select(i => Identity(ordered[i]).AuthorizeMerge(distinctOwners)));
            for (var k = 0; k < owned.Length; k++)
            {
                if (verdicts[k] is { } quarantine)
                {
                    conflicts.Add(new IdentifierConflict(ordered[owned[k]], owners[owned[k]]!, "quarantined: " + quarantine));
                }
            }
        }

        bool Usable(int i) => owners[i] is not null && conflicts.All(c => c.Identifier != ordered[i]);
        var customerId = Enumerable.Range(0, ordered.Length).Where(Usable).Select(i => owners[i]).FirstOrDefault()
            ?? (owners.Any(o => o is null) ? null : owners.First(o => o is not null));
        var handled = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (!Usable(i) || owners[i] == customerId || !handled.Add(owners[i]!))
            {
                continue;
            }

            var owner = owners[i]!;
            if (await TypeLimitRefusal(customerId!, owner) is { } refusal)
            {
                conflicts.Add(new IdentifierConflict(ordered[i], owner, refusal));
                continue;
            }

            var survivor = await Merge(customerId!, owner, ordered[i]);
            merged.Add(survivor == owner ? customerId! : owner);
            customerId = survivor;
        }

        var unowned = ordered.Where((_, i) => owners[i] is null).ToList();
        if (unowned.Count > 0)
        {
            IReadOnlyList<CustomerIdentifier> held;
            if (customerId is null)
            {
                // A new customer: whoever claims the strongest identifier first wins a creation race, and we join them.
                customerId = await Identity(unowned[0]).Claim(unowned[0], NewCustomerId());
                cache.Set(unowned[0], customerId);
                held = [unowned[0]];
                unowned.RemoveAt(0);
            }
            else
            {
                (customerId, held) = await CallCustomer(customerId, c => c.GetIdentifiers());
            }

            // Never claim an identifier the customer may not hold (per-type and overall limits).
            foreach (var (excess, reason) in protection.ExcessOverTypeLimits(held, unowned))
            {
                conflicts.Add(new IdentifierConflict(excess, string.Empty, reason));
                unowned.Remove(excess);
            }

            var claimed = await Task.WhenAll(unowned.Select(id => Identity(id).Claim(id, customerId)));
            for (var i = 0; i < unowned.Count; i++)
            {
                cache.Set(unowned[i], claimed[i]);
                if (claimed[i] != customerId)
                {
                    // Claimed by someone else in the meantime: the same person seen twice at once.
                    var survivor = await Merge(customerId, claimed[i], unowned[i]);
                    merged.Add(survivor == claimed[i] ? customerId : claimed[i]);
                    customerId = survivor;
                }
            }
        }

        var linked = ordered.Where(id => conflicts.All(c => c.Identifier != id)).ToArray();
        return new Resolution(customerId!, linked, conflicts, merged);
    }

    private async Task<string?> TypeLimitRefusal(string customerId, string otherCustomerId)
    {
        var (_, mine) = await CallCustomer(customerId, c => c.GetIdentifiers());
        var (_, theirs) = await CallCustomer(otherCustomerId, c => c.GetIdentifiers());
        var excess = protection.ExcessOverTypeLimits(mine, theirs);
        return excess.Count == 0 ? null : $"not merged: the customers together would break a limit ({excess[0].Reason})";
    }

    /// <summary>
    /// Merges two customers into the survivor chosen by <see cref="Survivorship.ChooseSurvivor"/>, step by step, each
    /// step idempotent and written before the next: the absorbed record starts forwarding and hands over a final copy,
    /// the survivor absorbs it (once per merge id), its identifiers are re-pointed, and it is cleared to a tombstone.
    /// Any caller that meets a half-done merge finishes it. Returns the customer that holds the result.
    /// </summary>
    private async Task<string> Merge(string a, string b, CustomerIdentifier trigger, int depth = 0)
    {
        if (a == b)
        {
            return a;
        }

        if (depth > MaxForwardingHops)
        {
            throw new InvalidOperationException($"merging {a} and {b} follows more than {MaxForwardingHops} earlier merges");
        }

        var survivor = Survivorship.ChooseSurvivor(a, b);
        var absorbed = survivor == a ? b : a;
        var copy = await Customer(absorbed).BeginMergeInto(survivor);
        var target = copy.MergedInto ?? survivor;
        var holder = await FinishMerge(absorbed, copy, target, trigger);

        // Already merged elsewhere before we came: what remains is to merge that record with our survivor.
        return target == survivor ? holder : await Merge(survivor, holder, trigger, depth + 1);
    }

    private async Task<string> FinishMerge(string absorbed, CustomerProfile copy, string target, CustomerIdentifier? trigger)
    {
        var record = new MergeRecord($"{absorbed}>{target}", absorbed, clock.GetUtcNow(), trigger, Survivorship.SurvivorRule);
        var (holder, _) = await CallCustomer(target, async c =>
        {
            await c.Absorb(copy, record);
            return true;
        });
        await Task.WhenAll(copy.Identifiers.Select(id => Identity(id).Repoint(absorbed, holder, $"merge {record.MergeId}")));
        foreach (var id in copy.Identifiers)
        {
            cache.Set(id, holder);
        }

        await Customer(absorbed).CompleteMerge();
        return holder;
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

    private sealed record Resolution(
        string CustomerId,
        IReadOnlyList<CustomerIdentifier> Linked,
        IReadOnlyList<IdentifierConflict> Conflicts,
        IReadOnlyList<string> Merged);
}
