namespace ProfileGrains.Grains;

/// <summary>Memory mode: segment shards live in this process only, so there is nothing to write or read back.</summary>
public sealed class NoSegmentMembershipStore : ISegmentMembershipStore
{
    public bool IsDurable => false;

    public ValueTask WriteAsync(string customerId, MembershipWrite write) => ValueTask.CompletedTask;

    public Task<MemberRows> ReadAsync(string segmentId, int shard, DateTimeOffset? changedSince, CancellationToken cancellationToken) =>
        Task.FromResult(new MemberRows([], DateTimeOffset.UtcNow));

    public Task DeleteSegmentAsync(string segmentId) => Task.CompletedTask;

    public Task EraseCustomerAsync(string customerId, int shard, IReadOnlyList<string> segmentIds) => Task.CompletedTask;
}
