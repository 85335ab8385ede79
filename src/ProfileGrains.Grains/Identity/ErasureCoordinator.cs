using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Erases one person (GDPR art. 17) from every place the engine keeps them: it runs in the calling silo, outside any
/// grain, and calls each part in turn. The live record stops answering and leaves its segments; its identifiers are
/// forgotten by their identity shards (rows deleted); the erasure is remembered by keyed hash only; then the live record
/// and every record merged into it delete their journal, membership rows, directory entry, wake-up and state. Each step
/// is idempotent and durable before the next, and the answer comes only once all of them are.
/// </summary>
public sealed class ErasureCoordinator(GrainReferences grains, MergeCoordinator merges, IdentityResolver identities, IErasureRegistry registry)
{
    /// <summary>What was erased; null when there is no such customer.</summary>
    public async Task<ErasureResult?> Erase(string customerId)
    {
        var (live, plan) = await Plan(customerId);
        if (plan is null)
        {
            return null;
        }

        IReadOnlyList<string> records = [.. plan.Records];
        var identifiers = await identities.Erase(plan.Identifiers, records);
        await registry.RecordAsync(records);
        await Task.WhenAll(records.Select(id => grains.Customer(id).CompleteErase()));
        return new ErasureResult(live, records.Count, identifiers);
    }

    /// <summary>An unmerge under way is finished first: the record it gives back is another person's, and stays.</summary>
    private async Task<(string Live, ErasurePlan? Plan)> Plan(string customerId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (live, plan) = await merges.CallCustomer(customerId, c => c.BeginErase());
            if (plan?.UnmergeUnderWay is not { } pending || attempt >= MergeCoordinator.MaxForwardingHops)
            {
                return (live, plan);
            }

            await merges.Unmerge(pending, "finished before an erasure");
        }
    }
}

/// <summary>An erasure done: the customer named, how many records (the live one and those merged into it) and identifiers went.</summary>
public sealed record ErasureResult(string CustomerId, int Records, int Identifiers);
