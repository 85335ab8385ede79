namespace ProfileGrains.Grains;

/// <summary>
/// Where segment membership is durable (postgres mode): the truth segment shards are rebuilt from. Changes the journal
/// holds are written with their journal entry (<see cref="ICustomerJournal.AppendAsync"/>); the others come here.
/// </summary>
public interface ISegmentMembershipStore
{
    /// <summary>False in memory mode: shards hold the only copy and nothing is read back.</summary>
    bool IsDurable { get; }

    /// <summary>Completes once the rows would survive every silo crashing; a row never goes back to an older version.</summary>
    ValueTask WriteAsync(string customerId, MembershipWrite write);

    /// <summary>The shard's members when <paramref name="changedSince"/> is null; otherwise every row written after it, members or not.</summary>
    Task<MemberRows> ReadAsync(string segmentId, int shard, DateTimeOffset? changedSince, CancellationToken cancellationToken);

    /// <summary>
    /// Erasure: deletes the customer's rows, members or not, in each of <paramref name="segmentIds"/> (every segment
    /// defined; a deleted segment keeps no rows) at its <paramref name="shard"/>. Idempotent.
    /// </summary>
    Task EraseCustomerAsync(string customerId, int shard, IReadOnlyList<string> segmentIds);

    /// <summary>A deleted segment keeps no rows.</summary>
    Task DeleteSegmentAsync(string segmentId);
}
