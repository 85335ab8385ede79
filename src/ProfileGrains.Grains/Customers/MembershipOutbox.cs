using Microsoft.Extensions.Logging;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Membership notices a customer owes the shards of the segments it entered or left. Each notice carries the
/// membership version, so a shard always ends with the customer's latest state whatever the order of arrival. A shard
/// that does not answer does not fail the caller (the change is already durable): its notice stays here and is sent
/// again with the next change. Shards of a durable engine also re-read the stored rows, so a notice lost with its silo
/// is healed there.
/// </summary>
internal sealed class MembershipOutbox(string customerId, IGrainFactory grains, int shardCount, ILogger logger)
{
    // Created with the first notice: most customers in memory owe none, and an empty map costs 80 bytes each.
    private Dictionary<string, bool>? _unsent;

    /// <summary>The customer's shard, the same in every segment.</summary>
    public int Shard { get; } = SegmentSharding.ShardOf(customerId, shardCount);

    public bool IsEmpty => _unsent is not { Count: > 0 };

    public void Post(string segmentId, bool isMember) => Unsent[segmentId] = isMember;

    public void Post(IEnumerable<string> entered, IEnumerable<string> exited)
    {
        foreach (var segmentId in entered)
        {
            Unsent[segmentId] = true;
        }

        foreach (var segmentId in exited)
        {
            Unsent[segmentId] = false;
        }
    }

    private Dictionary<string, bool> Unsent => _unsent ??= new(StringComparer.Ordinal);

    /// <summary>Sends every pending notice, one per segment, and waits for the shards; keeps those that failed.</summary>
    public async Task SendAsync(long membershipVersion)
    {
        if (_unsent is not { Count: > 0 } unsent)
        {
            return;
        }

        var notices = unsent.ToArray();
        try
        {
            await Task.WhenAll(notices.Select(notice => grains
                .GetGrain<ISegmentShardGrain>(SegmentSharding.ShardKey(notice.Key, Shard))
                .Apply(customerId, notice.Value, membershipVersion)));
            foreach (var (segmentId, isMember) in notices)
            {
                // A newer notice posted while these were in flight stays for the next send.
                if (unsent.TryGetValue(segmentId, out var current) && current == isMember)
                {
                    unsent.Remove(segmentId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Segment membership of customer {CustomerId} will be sent again with its next change", customerId);
        }
    }
}
