using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The way in for every customer command: resolves its identifiers to a customer (<see cref="IdentityResolver"/>),
/// creating one when none is known and merging records when identifiers of several customers arrive together
/// (<see cref="MergeCoordinator"/>), then hands the command to that customer. A known identifier costs one identity
/// read, or none when this silo's cache remembers it, plus one customer call.
/// </summary>
public sealed class ProfileRouter(IdentityResolver identities, MergeCoordinator merges, IdentityProtectionPolicy protection, EngineMetrics metrics)
{
    public Task<IdentifyResult> Identify(IReadOnlyList<CustomerIdentifier> identifiers, TraitsUpdate traits) => RoutedAfresh(identifiers, async () =>
    {
        if (await RefuseTraitsBeforeLinking(identifiers, traits) is { } refused)
        {
            return refused;
        }

        var resolution = await ResolveOrCreate(identifiers);
        var (customerId, change) = await CallCustomer(resolution, c => c.Identify(resolution.Linked, traits));
        return new IdentifyResult(customerId, change.Created, resolution.Conflicts, change.Error, resolution.Merged);
    });

    public Task<TrackResult> Track(TrackedEvent trackedEvent) =>
        RoutedAfresh(trackedEvent.Identifiers, async () => await Apply(trackedEvent, await ResolveOrCreate(trackedEvent.Identifiers)));

    /// <summary>
    /// Resolves every event first, then applies each customer's events in request order (whatever identifiers they came
    /// with); different customers proceed in parallel.
    /// </summary>
    public Task<IReadOnlyList<TrackResult>> TrackBatch(IReadOnlyList<TrackedEvent> events) =>
        RoutedAfresh([.. events.SelectMany(e => e.Identifiers)], () => TrackEach(events));

    /// <summary>
    /// Erasure: the identifiers stop leading to <paramref name="erasedCustomerId"/> here (this silo's cache) and in the
    /// identity shards (a claim made for it moments before it was erased).
    /// </summary>
    public Task ForgetErased(IReadOnlyList<CustomerIdentifier> identifiers, string erasedCustomerId) => identities.Erase(identifiers, [erasedCustomerId]);

    /// <summary>
    /// Runs a request; if a route this silo remembered led it to a customer erased since, the route is forgotten and the
    /// request runs again from its identifiers (events already counted are recognised by their ids).
    /// </summary>
    private async Task<T> RoutedAfresh<T>(IReadOnlyList<CustomerIdentifier> identifiers, Func<Task<T>> request)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (CustomerErasedException erased) when (attempt < 2)
            {
                await ForgetErased(identifiers, erased.CustomerId);
            }
        }
    }

    private async Task<IReadOnlyList<TrackResult>> TrackEach(IReadOnlyList<TrackedEvent> events)
    {
        var resolutions = await Task.WhenAll(events.Select(e => ResolveUnlessErased(e.Identifiers)));
        var results = new TrackResult[events.Count];
        var byCustomer = Enumerable.Range(0, events.Count).Where(i => resolutions[i] is not null).GroupBy(i => resolutions[i]!.CustomerId, StringComparer.Ordinal);
        await Task.WhenAll(byCustomer.Select(async group =>
        {
            foreach (var index in group)
            {
                results[index] = await Apply(events[index], resolutions[index]!);
            }
        }));
        for (var i = 0; i < events.Count; i++)
        {
            results[i] ??= NotLinked(events[i]);
        }

        return results;
    }

    /// <summary>In a batch, an event whose every identifier belonged to a person erased for good is counted for nobody, alone.</summary>
    private async Task<Resolution?> ResolveUnlessErased(IReadOnlyList<CustomerIdentifier> identifiers)
    {
        try
        {
            return await ResolveOrCreate(identifiers);
        }
        catch (IdentifiersErasedException)
        {
            return null;
        }
    }

    private static TrackResult NotLinked(TrackedEvent trackedEvent) => new(
        string.Empty,
        TrackOutcome.NotLinked,
        [.. trackedEvent.Identifiers.Select(id => new IdentifierConflict(id, string.Empty, ErasedForGood))],
        []);

    private const string ErasedForGood = "not linked: this identifier belonged to a person erased at their request, and may not be used again";

    /// <inheritdoc cref="IdentityResolver.Resolve"/>
    public Task<string?> Resolve(CustomerIdentifier identifier) => identities.Resolve(identifier);

    /// <inheritdoc cref="MergeCoordinator.CallCustomer"/>
    public Task<(string CustomerId, T Result)> CallCustomer<T>(string customerId, Func<ICustomerGrain, Task<T>> call) => merges.CallCustomer(customerId, call);

    /// <inheritdoc cref="MergeCoordinator.CallFollowingMerges"/>
    public Task<(string CustomerId, T Result, MergedAway? MergedAway)> CallFollowingMerges<T>(string customerId, Func<ICustomerGrain, Task<T>> call) => merges.CallFollowingMerges(customerId, call);

    public Task<IdentityExplanation> Explain(CustomerIdentifier identifier) => identities.Explain(identifier);

    /// <inheritdoc cref="IdentityResolver.ListQuarantined"/>
    public Task<IReadOnlyList<QuarantinedIdentity>> ListQuarantined(int max) => identities.ListQuarantined(max);

    /// <inheritdoc cref="IdentityResolver.ReleaseQuarantine"/>
    public Task<IdentityOwnership> ReleaseQuarantine(IdentityKey key, string reason) => identities.ReleaseQuarantine(key, reason);

    public IdentityKey KeyOf(CustomerIdentifier identifier) => identities.KeyOf(identifier);

    /// <summary>
    /// Custom attributes merge key by key, so only the customer knows whether they would exceed its limit: ask before
    /// linking anything, so that a refused request changes nothing.
    /// </summary>
    private async Task<IdentifyResult?> RefuseTraitsBeforeLinking(IReadOnlyList<CustomerIdentifier> identifiers, TraitsUpdate traits)
    {
        if (!traits.Paths.Any(p => p.StartsWith("custom_attributes.", StringComparison.Ordinal)))
        {
            return null;
        }

        var owners = await Task.WhenAll(Stitching.StrongestFirst(identifiers).Select(identities.Resolve));
        if (owners.FirstOrDefault(o => o is not null) is not { } existing)
        {
            return null;
        }

        var (owner, refusal) = await merges.CallCustomer(existing, c => c.CheckTraits(traits));
        return refusal is null ? null : new IdentifyResult(owner, false, [], refusal, []);
    }

    private async Task<TrackResult> Apply(TrackedEvent trackedEvent, Resolution resolution)
    {
        var (customerId, outcome) = await CallCustomer(resolution, c => c.Track(trackedEvent, resolution.Linked));
        return new TrackResult(customerId, outcome, resolution.Conflicts, resolution.Merged);
    }

    /// <summary>
    /// Calls the resolved customer; when it had been merged, the identifiers that led to it are repaired. When an
    /// unmerge gave those identifiers back to another record since this silo learnt the route, the call goes there
    /// (finishing the unmerge first if it is still under way).
    /// </summary>
    private async Task<(string CustomerId, T Result)> CallCustomer<T>(Resolution resolution, Func<ICustomerGrain, Task<T>> call)
    {
        var target = resolution.CustomerId;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var (customerId, result) = attempt == 0 && resolution.IsNew
                    ? await NewCustomer.Creating(target, () => merges.CallCustomer(target, call))
                    : await merges.CallCustomer(target, call);
                if (customerId != resolution.CustomerId)
                {
                    await identities.Repoint(resolution.Linked, resolution.CustomerId, customerId, "repaired: followed a merge");
                }

                return (customerId, result);
            }
            catch (IdentifiersMovedException moved) when (attempt < MergeCoordinator.MaxForwardingHops)
            {
                if (moved.PendingMergeId is { } pending)
                {
                    await merges.Unmerge(pending, "finished by a request that met it under way");
                }

                await identities.Repoint(resolution.Linked, moved.CustomerId, moved.MovedTo, "repaired: followed an unmerge");
                target = moved.MovedTo;
            }
        }
    }

    /// <inheritdoc cref="MergeCoordinator.Unmerge"/>
    public Task<(UnmergeResult? Result, string? Refusal)> Unmerge(string mergeId, string reason) => merges.Unmerge(mergeId, reason);

    /// <summary>
    /// Identifiers of several customers arriving together say they are one person: they are merged into one, unless an
    /// identifier has been pulling too many people together (quarantine) or the result would hold more values of a type
    /// than one person has (two loyalty cards are two people). Identifiers nobody owns are claimed by that customer,
    /// created when there is none.
    /// </summary>
    private async Task<Resolution> ResolveOrCreate(IReadOnlyList<CustomerIdentifier> identifiers)
    {
        var stitch = new Stitch(WithoutBlocked(identifiers, out var conflicts), conflicts);
        stitch.Owners = await Owners(stitch.Identifiers);
        await Quarantine(stitch);
        stitch.CustomerId = Stitching.ChooseCustomer(stitch.Owners, i => stitch.IsRefused(stitch.Identifiers[i]));
        await MergeOwners(stitch);
        await ClaimUnowned(stitch);
        var linked = stitch.Identifiers.Where(id => !stitch.IsRefused(id)).ToArray();
        return stitch.CustomerId is { } customerId
            ? new Resolution(customerId, linked, stitch.Conflicts, stitch.Merged, IsNew: customerId == stitch.Minted && stitch.Merged.Count == 0)
            : throw new IdentifiersErasedException();
    }

    /// <summary>Junk values ("test@test.com", "0000") identify nobody: never resolved, never linked, reported.</summary>
    private CustomerIdentifier[] WithoutBlocked(IReadOnlyList<CustomerIdentifier> identifiers, out List<IdentifierConflict> conflicts)
    {
        conflicts = [];
        var usable = new List<CustomerIdentifier>();
        foreach (var id in Stitching.StrongestFirst(identifiers))
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

        return usable.Count > 0
            ? [.. usable]
            : throw new InvalidOperationException("every identifier is blocked; the gateway refuses such requests before routing");
    }

    /// <summary>
    /// Each identifier's owner. This silo's cache may remember an owner merged elsewhere since: when owners differ, the
    /// identity shards are asked before anything is counted against an identifier's merge budget.
    /// </summary>
    private async Task<string?[]> Owners(CustomerIdentifier[] identifiers)
    {
        var owners = identifiers.Length == 1 ? [await identities.Resolve(identifiers[0])] : await Task.WhenAll(identifiers.Select(identities.Resolve));
        if (DistinctOwners(owners) <= 1)
        {
            return owners;
        }

        var fresh = await identities.ResolveFresh(identifiers);
        return DistinctOwners(fresh) <= 1 ? fresh : await LiveOwners(identifiers, fresh);
    }

    /// <summary>
    /// A shard may still name a record merged away moments ago, its identifiers not re-pointed yet (the merge is under
    /// way, or its coordinator died after the tombstone). Such a merge is done: counted again, every concurrent request
    /// seeing the stale owner would spend the identifiers' merge budget and could quarantine one person's own email.
    /// So owners are the live customers behind them, and identifiers found naming a tombstone are re-pointed.
    /// </summary>
    private async Task<string?[]> LiveOwners(CustomerIdentifier[] identifiers, string?[] owners)
    {
        var distinct = owners.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var live = await Task.WhenAll(distinct.Select(async owner => (Owner: owner, Live: (await merges.CallCustomer(owner, c => c.GetIdentifiers())).CustomerId)));
        var liveOf = live.ToDictionary(l => l.Owner, l => l.Live, StringComparer.Ordinal);
        foreach (var (owner, current) in live.Where(l => l.Owner != l.Live))
        {
            await identities.Repoint(identifiers.Where((_, i) => owners[i] == owner), owner, current, "repaired: followed a merge");
        }

        return [.. owners.Select(o => o is null ? null : liveOf[o])];
    }

    /// <summary>
    /// Every identifier taking part in a merge of known customers is counted, so a shared shop phone is caught whatever
    /// else it comes with. An anonymous visitor signing in is no such merge, and another person's device merges nobody
    /// (<see cref="Stitching.AnonymousRoles"/>).
    /// </summary>
    private async Task Quarantine(Stitch stitch)
    {
        if (DistinctOwners(stitch.Owners) <= 1)
        {
            return;
        }

        var roles = await AnonymousRoles(stitch);
        var counted = new List<int>();
        for (var i = 0; i < stitch.Identifiers.Length; i++)
        {
            if (stitch.Owners[i] is not { } owner)
            {
                continue;
            }

            if (roles[i] == AnonymousRole.AnotherPersonsDevice)
            {
                stitch.Refuse(stitch.Identifiers[i], owner, "not linked: this anonymous id belongs to another known customer, and a shared browser or device merges nobody");
            }
            else if (roles[i] == AnonymousRole.Ordinary)
            {
                counted.Add(i);
            }
        }

        var distinct = counted.Select(i => stitch.Owners[i]!).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count <= 1)
        {
            return;
        }

        var verdicts = await Task.WhenAll(counted.Select(i =>
            identities.AuthorizeMerge(stitch.Identifiers[i], [.. distinct.Where(owner => owner != stitch.Owners[i])])));
        for (var k = 0; k < counted.Count; k++)
        {
            if (verdicts[k] is { } quarantine)
            {
                stitch.Refuse(stitch.Identifiers[counted[k]], stitch.Owners[counted[k]]!, "quarantined: " + quarantine);
                metrics.CountQuarantine();
            }
        }
    }

    /// <summary>Asks the customers behind the request's anonymous ids, when it names known people, whether they are known too.</summary>
    private async Task<AnonymousRole[]> AnonymousRoles(Stitch stitch)
    {
        var people = new HashSet<string>(StringComparer.Ordinal);
        var browsers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stitch.Identifiers.Length; i++)
        {
            if (stitch.Owners[i] is not { } owner)
            {
                continue;
            }

            if (Stitching.NamesAPerson(stitch.Identifiers[i]))
            {
                people.Add(owner);
            }
            else
            {
                browsers.Add(owner);
            }
        }

        browsers.ExceptWith(people);
        if (people.Count == 0 || browsers.Count == 0)
        {
            return new AnonymousRole[stitch.Identifiers.Length];
        }

        var known = await Task.WhenAll(browsers.Select(async owner =>
            (Owner: owner, HoldsAPerson: (await merges.CallCustomer(owner, c => c.GetIdentifiers())).Result.Any(Stitching.NamesAPerson))));
        var holders = known.Where(k => k.HoldsAPerson).Select(k => k.Owner).ToHashSet(StringComparer.Ordinal);
        return Stitching.AnonymousRoles(stitch.Identifiers, stitch.Owners, holders.Contains);
    }

    private async Task MergeOwners(Stitch stitch)
    {
        var handled = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stitch.Identifiers.Length; i++)
        {
            if (stitch.Owners[i] is not { } owner || stitch.IsRefused(stitch.Identifiers[i]) || owner == stitch.CustomerId || !handled.Add(owner))
            {
                continue;
            }

            if (await merges.TypeLimitRefusal(stitch.CustomerId!, owner) is { } refusal)
            {
                stitch.Refuse(stitch.Identifiers[i], owner, refusal);
                continue;
            }

            await stitch.MergeWith(merges, owner, stitch.Identifiers[i]);
        }
    }

    /// <summary>
    /// Identifiers nobody owned are claimed, all at once, for the resolved customer or for a new one. An identifier the
    /// customer may not hold (per-type and overall limits) is never claimed. A claim can lose a race against another
    /// request bringing the same identifier: the same person seen twice at once, so the records are merged. A new
    /// customer that won none of its claims was never created: the request joins the winner.
    /// </summary>
    private async Task ClaimUnowned(Stitch stitch)
    {
        if (Array.IndexOf(stitch.Owners, null) < 0)
        {
            return;
        }

        var unowned = stitch.Identifiers.Where((_, i) => stitch.Owners[i] is null).ToList();
        IReadOnlyList<CustomerIdentifier> held = [];
        if (stitch.CustomerId is not null)
        {
            (stitch.CustomerId, held) = await merges.CallCustomer(stitch.CustomerId, c => c.GetIdentifiers());
        }

        foreach (var (excess, reason) in protection.ExcessOverTypeLimits(held, unowned))
        {
            stitch.Refuse(excess, string.Empty, reason);
            unowned.Remove(excess);
        }

        if (unowned.Count == 0)
        {
            // All over the limits of the customer who holds the others (a new customer's first of each type always fits).
            return;
        }

        var existing = stitch.CustomerId;
        var claimant = existing ?? NewCustomerId();
        var claimed = unowned.Count == 1 ? [await identities.Claim(unowned[0], claimant)] : await Task.WhenAll(unowned.Select(id => identities.Claim(id, claimant)));
        if (Array.IndexOf(claimed, IdentityTable.Suppressed) >= 0)
        {
            (unowned, claimed) = WithoutSuppressed(stitch, unowned, claimed);
            if (unowned.Count == 0)
            {
                return;
            }
        }

        // A customer that already existed stays the request's customer whatever it lost: it holds the other identifiers.
        stitch.CustomerId = existing ?? (Array.IndexOf(claimed, claimant) >= 0 ? claimant : claimed[0]);
        if (existing is null && stitch.CustomerId == claimant)
        {
            stitch.Minted = claimant;
        }

        for (var i = 0; i < unowned.Count; i++)
        {
            if (claimed[i] == stitch.CustomerId || stitch.Merged.Contains(claimed[i]))
            {
                continue;
            }

            if (existing is not null && await merges.TypeLimitRefusal(stitch.CustomerId, claimed[i]) is { } refusal)
            {
                stitch.Refuse(unowned[i], claimed[i], refusal);
                continue;
            }

            await stitch.MergeWith(merges, claimed[i], unowned[i]);
        }
    }

    /// <summary>Identifiers of people erased at their request, when they may not come back, are claimed by nobody: reported, never linked.</summary>
    private static (List<CustomerIdentifier> Unowned, string[] Claimed) WithoutSuppressed(Stitch stitch, List<CustomerIdentifier> unowned, string[] claimed)
    {
        var kept = new List<int>();
        for (var i = 0; i < unowned.Count; i++)
        {
            if (claimed[i] == IdentityTable.Suppressed)
            {
                stitch.Refuse(unowned[i], string.Empty, ErasedForGood);
            }
            else
            {
                kept.Add(i);
            }
        }

        return ([.. kept.Select(i => unowned[i])], [.. kept.Select(i => claimed[i])]);
    }

    // On every request, over at most a request's identifiers: a scan, not a hash set.
    private static int DistinctOwners(string?[] owners)
    {
        var distinct = 0;
        for (var i = 0; i < owners.Length; i++)
        {
            if (owners[i] is { } owner && !SeenBefore(owners, i, owner))
            {
                distinct++;
            }
        }

        return distinct;
    }

    private static bool SeenBefore(string?[] owners, int index, string owner)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(owners[j], owner, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string NewCustomerId() => Guid.CreateVersion7().ToString("N");

    /// <summary>One request's identifiers (strongest first), their owners and what became of them.</summary>
    private sealed class Stitch(CustomerIdentifier[] identifiers, List<IdentifierConflict> conflicts)
    {
        public CustomerIdentifier[] Identifiers { get; } = identifiers;

        public string?[] Owners { get; set; } = [];

        public string? CustomerId { get; set; }

        public List<IdentifierConflict> Conflicts { get; } = conflicts;

        public List<string> Merged { get; } = [];

        /// <summary>The customer id this request minted and won a claim for: nobody has called it yet.</summary>
        public string? Minted { get; set; }

        public bool IsRefused(CustomerIdentifier id) => Conflicts.Exists(c => c.Identifier == id);

        public void Refuse(CustomerIdentifier id, string owner, string reason) => Conflicts.Add(new IdentifierConflict(id, owner, reason));

        public async Task MergeWith(MergeCoordinator merges, string other, CustomerIdentifier trigger)
        {
            var survivor = await merges.Merge(CustomerId!, other, trigger);
            Merged.Add(survivor == other ? CustomerId! : other);
            CustomerId = survivor;
        }
    }

    /// <param name="IsNew">The customer was minted by this request, which is about to create it (<see cref="NewCustomer"/>).</param>
    private sealed record Resolution(
        string CustomerId,
        IReadOnlyList<CustomerIdentifier> Linked,
        IReadOnlyList<IdentifierConflict> Conflicts,
        IReadOnlyList<string> Merged,
        bool IsNew);
}
