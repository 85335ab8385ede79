using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Merges two customers and calls customers through the tombstones merges leave. It runs in the calling silo, outside
/// any grain, and calls each side in turn, so neither customer ever calls the other (no call cycles). Each step is
/// idempotent and written before the next: the absorbed record starts forwarding and hands over a final copy, the
/// survivor absorbs it (once per merge id), its identifiers are re-pointed, and it is cleared to a tombstone. Any
/// caller that meets a half-done merge finishes it.
/// </summary>
public sealed class MergeCoordinator(GrainReferences grains, IdentityResolver identities, IdentityProtectionPolicy protection, EngineClock clock, EngineMetrics metrics)
{
    /// <summary>Tombstone hops followed before giving up; chains are repaired as they are followed.</summary>
    public const int MaxForwardingHops = 8;

    /// <summary>Calls a customer, following merge tombstones (finishing any merge left half done); returns the customer that answered.</summary>
    public async Task<(string CustomerId, T Result)> CallCustomer<T>(string customerId, Func<ICustomerGrain, Task<T>> call)
    {
        var (holder, result, _) = await CallFollowingMerges(customerId, call);
        return (holder, result);
    }

    /// <summary>
    /// As <see cref="CallCustomer{T}"/>, and when the customer named had been merged away, says so: the reader asked
    /// for one record and is answered by another.
    /// </summary>
    public async Task<(string CustomerId, T Result, MergedAway? MergedAway)> CallFollowingMerges<T>(string customerId, Func<ICustomerGrain, Task<T>> call)
    {
        var current = customerId;
        DateTimeOffset? mergedAt = null;
        for (var hop = 0; hop <= MaxForwardingHops; hop++)
        {
            T result;
            try
            {
                result = await call(Customer(current));
            }
            catch (CustomerMergedException moved)
            {
                if (!moved.Completed)
                {
                    // Its coordinator died, or is still at it: finishing is idempotent.
                    var copy = await Customer(moved.CustomerId).BeginMergeInto(moved.MergedInto);
                    await FinishMerge(moved.CustomerId, copy, copy.MergedInto ?? moved.MergedInto, trigger: null);
                }

                mergedAt ??= moved.MergedAt;
                current = moved.MergedInto;
                continue;
            }

            return (current, result, mergedAt is { } at ? new MergedAway(customerId, current, at) : null);
        }

        throw new InvalidOperationException($"customer {customerId} forwards through more than {MaxForwardingHops} merges");
    }

    /// <summary>Why two customers may not become one (together they would hold more values of a type than a person has), or null.</summary>
    public async Task<string?> TypeLimitRefusal(string customerId, string otherCustomerId)
    {
        var (_, mine) = await CallCustomer(customerId, c => c.GetIdentifiers());
        var (_, theirs) = await CallCustomer(otherCustomerId, c => c.GetIdentifiers());
        var excess = protection.ExcessOverTypeLimits(mine, theirs);
        return excess.Count == 0 ? null : $"not merged: the customers together would break a limit ({excess[0].Reason})";
    }

    /// <summary>Merges two customers into the survivor <see cref="Survivorship.ChooseSurvivor"/> picks; returns the customer that holds the result.</summary>
    public async Task<string> Merge(string a, string b, CustomerIdentifier trigger, int depth = 0)
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

    /// <summary>
    /// Reverses merge <paramref name="mergeId"/> ("absorbed>survivor", as the merge history names it): the survivor
    /// becomes itself again, the absorbed record is restored with its own history and the changes that came through its
    /// identifiers, and those identifiers lead to it again. Each step is idempotent and written before the next; running
    /// it again finishes one that was interrupted. Null with the reason when the merge cannot be reversed.
    /// </summary>
    public async Task<(UnmergeResult? Result, string? Refusal)> Unmerge(string mergeId, string reason)
    {
        var arrow = mergeId.IndexOf('>', StringComparison.Ordinal);
        var survivorId = mergeId[(arrow + 1)..];
        var (survivor, start, _) = await CallFollowingMerges(survivorId, c => c.BeginUnmerge(mergeId, reason));
        if (start.Restore is not { } restore)
        {
            return (null, start.Refusal);
        }

        await Customer(restore.RestoredCustomerId).Restore(restore);
        await identities.Repoint(restore.Moved, survivor, restore.RestoredCustomerId, $"unmerge {mergeId}: {reason}");
        await Customer(survivor).CompleteUnmerge(mergeId);
        return (new UnmergeResult(survivor, restore.RestoredCustomerId, restore.Moved), null);
    }

    private async Task<string> FinishMerge(string absorbed, CustomerProfile copy, string target, CustomerIdentifier? trigger)
    {
        var record = new MergeRecord($"{absorbed}>{target}", absorbed, clock.GetUtcNow(), trigger, Survivorship.SurvivorRule);
        var identifiers = copy.Identifiers.ToArray();
        var (holder, _) = await CallCustomer(target, async c =>
        {
            await c.Absorb(copy, record);
            return true;
        });
        await identities.Repoint(identifiers, absorbed, holder, $"merge {record.MergeId}");
        await Customer(absorbed).CompleteMerge();
        metrics.CountMerge();
        return holder;
    }

    private ICustomerGrain Customer(string customerId) => grains.Customer(customerId);
}
