using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Every erasure request, by its request id: while it runs, what it still has to remove (so a crash in the middle is
/// finished by a retry or by <see cref="ErasureResumer"/>); once done, only the audit record — who asked, when, how much
/// was removed — which names nobody.
/// </summary>
public interface IErasureLedger
{
    Task<ErasureAudit?> FindAsync(string requestId);

    /// <summary>Durable before it completes; a request id already recorded is left as it is.</summary>
    Task BeginAsync(ErasureIntent intent);

    Task<ErasureIntent?> FindPendingAsync(string requestId);

    /// <summary>The request is done: what it had to remove is dropped, the audit record stays.</summary>
    Task CompleteAsync(string requestId, int records, int identifiers, DateTimeOffset completedAt);

    /// <summary>Requests begun before <paramref name="startedBefore"/> and not completed (their silo died), oldest first.</summary>
    Task<IReadOnlyList<ErasureIntent>> PendingAsync(DateTimeOffset startedBefore, int max);
}

/// <summary>An erasure under way: the live customer, every record to remove and the keyed identifiers to forget.</summary>
public sealed record ErasureIntent(
    string RequestId,
    string Requester,
    string CustomerId,
    IReadOnlyList<string> Records,
    IReadOnlyList<IdentityKey> IdentityKeys,
    DateTimeOffset RequestedAt);

/// <summary>The audit record of an erasure request: no customer id, no identifier.</summary>
public sealed record ErasureAudit(string RequestId, string Requester, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, int Records, int Identifiers);
