using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Erases one person (GDPR art. 17) from every place the engine keeps them: it runs in the calling silo, outside any
/// grain, and calls each part in turn. The live record stops answering and leaves its segments; the request is recorded
/// in the <see cref="IErasureLedger"/> with everything it must remove; the identifiers are forgotten by their identity
/// shards (rows deleted), and so is any other identifier still leading to one of the records (every shard is asked); the erasure is remembered by keyed hash only; the live record and every record merged into it
/// delete their journal, membership rows, directory entry, wake-up and state; the ledger keeps only the audit record.
/// Each step is idempotent and durable before the next, so a request interrupted by a crash is finished by a retry with
/// its request id or by <see cref="ErasureResumer"/>, and the answer comes only once every step is done.
/// </summary>
public sealed class ErasureCoordinator(
    GrainReferences grains,
    MergeCoordinator merges,
    IdentityResolver identities,
    IErasureRegistry registry,
    IErasureLedger ledger,
    EngineClock clock,
    Microsoft.Extensions.Options.IOptions<ProfileGrainsOptions> options)
{
    private readonly bool _suppress = options.Value.ReingestAfterErasure == ReingestAfterErasure.Refuse;

    /// <summary>What was erased; the earlier answer for a request id already done; null when there is no such customer.</summary>
    public async Task<ErasureOutcome?> Erase(string customerId, string requestId, string requester)
    {
        if (await ledger.FindAsync(requestId) is { } known)
        {
            if (known.CompletedAt is { } completedAt)
            {
                return new ErasureOutcome(string.Empty, known.Records, known.Identifiers, completedAt, Replayed: true);
            }

            if (await ledger.FindPendingAsync(requestId) is { } interrupted)
            {
                return await Finish(interrupted);
            }
        }

        if (customerId.Length == 0)
        {
            return null;
        }

        var (live, plan) = await Plan(customerId);
        if (plan is null)
        {
            return null;
        }

        return await Begin(requestId, requester, live, plan);
    }

    /// <summary>The requester the audit records for erasures made by retention.</summary>
    public const string RetentionRequester = "retention";

    /// <summary>
    /// Retention: erases the customer (or the survivor it was merged into) if nothing happened to it since
    /// <paramref name="since"/>; null, changing nothing, otherwise.
    /// </summary>
    public async Task<ErasureOutcome?> EraseInactive(string customerId, DateTimeOffset since)
    {
        var (live, plan) = await merges.CallCustomer(customerId, c => c.BeginEraseIfInactive(since));
        return plan is null ? null : await Begin("retention-" + Guid.NewGuid().ToString("N"), RetentionRequester, live, plan);
    }

    private async Task<ErasureOutcome> Begin(string requestId, string requester, string live, ErasurePlan plan)
    {
        var intent = new ErasureIntent(requestId, requester, live, [.. plan.Records], [.. plan.Identifiers.Select(identities.KeyOf).Distinct()], clock.GetUtcNow());
        await ledger.BeginAsync(intent);
        return await Finish(intent);
    }

    /// <summary>A request id the ledger holds (done, or interrupted and to be finished).</summary>
    public async Task<bool> IsKnownRequest(string requestId) => await ledger.FindAsync(requestId) is not null;

    /// <summary>Every step after the plan, each idempotent: also how an interrupted request is finished.</summary>
    public async Task<ErasureOutcome> Finish(ErasureIntent intent)
    {
        var identifiers = await identities.EraseKeys(intent.IdentityKeys, intent.Records, _suppress);
        identifiers += await identities.EraseAllOwnedBy(intent.Records, _suppress);
        await registry.RecordAsync(intent.Records);
        await Task.WhenAll(intent.Records.Select(id => grains.Customer(id).CompleteErase()));
        // Microseconds, as PostgreSQL keeps them: a retry answered from the ledger says the same instant.
        var now = clock.GetUtcNow();
        var completedAt = now.AddTicks(-(now.Ticks % 10));
        await ledger.CompleteAsync(intent.RequestId, intent.Records.Count, identifiers, completedAt);
        return new ErasureOutcome(intent.CustomerId, intent.Records.Count, identifiers, completedAt, Replayed: false);
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

/// <summary>
/// An erasure done: the customer named (empty when answering a retry of a request done before: the id is not kept),
/// how many records (the live one and those merged into it) and identifiers went, and when it completed.
/// </summary>
public sealed record ErasureOutcome(string CustomerId, int Records, int Identifiers, DateTimeOffset CompletedAt, bool Replayed);
