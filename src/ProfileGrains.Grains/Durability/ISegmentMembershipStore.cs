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

    /// <summary>A deleted segment keeps no rows.</summary>
    Task DeleteSegmentAsync(string segmentId);
}
