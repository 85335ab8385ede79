using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Where acknowledged customer changes become durable before the caller hears OK. Snapshots of the profile are
/// written lazily (coalesced); activation reads the snapshot, then replays the journal after it.
/// </summary>
public interface ICustomerJournal
{
    /// <summary>False in memory mode: nothing is journaled, acknowledgement means "applied in memory".</summary>
    bool IsDurable { get; }

    /// <summary>
    /// Completes once the entry would survive every silo crashing; throws <see cref="DurableWriteException"/> otherwise.
    /// The segment memberships the change moved are written in the same commit, and only if the entry is.
    /// </summary>
    ValueTask AppendAsync(string customerId, long sequence, CustomerChange change, MembershipWrite? membership = null);

    /// <summary>Entries after <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadAfterAsync(string customerId, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>Drops entries a stored snapshot already covers. Best effort: replay skips covered entries anyway.</summary>
    void Truncate(string customerId, long throughSequence);

    /// <summary>Erasure: deletes every entry of the customer; completes once that is durable. Idempotent.</summary>
    Task EraseAsync(string customerId);
}
