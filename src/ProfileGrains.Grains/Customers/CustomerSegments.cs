using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The customer's side of segment membership: which segments its profile matches now, and the notices that tell the
/// shards of those it entered or left (<see cref="MembershipOutbox"/>), sent before the caller is answered.
/// </summary>
internal sealed class CustomerSegments(string customerId, IGrainFactory grains, SegmentRulesCache rules, MembershipOutbox outbox, int wakeupShards)
{
    public bool AnyDependOnTime => rules.Index.HasTimeDependent;

    /// <summary>
    /// Re-evaluates the segments reading <paramref name="changedInputs"/> (plus the time-dependent ones), or every
    /// segment when null; <paramref name="resendSegmentId"/> is told the result even if it did not change.
    /// </summary>
    public Task Reevaluate(CustomerProfile profile, DateTimeOffset now, IReadOnlyList<string>? changedInputs = null, string? resendSegmentId = null)
    {
        var matching = changedInputs is null
            ? SegmentEvaluator.MatchingSegments(rules.Definitions, profile, now)
            : rules.Index.Matching(profile, profile.SegmentIds, changedInputs, now);
        var (entered, exited) = profile.SetSegments(matching, now);
        outbox.Post(entered, exited);
        if (resendSegmentId is not null)
        {
            outbox.Post(resendSegmentId, profile.SegmentIds.Contains(resendSegmentId, StringComparer.Ordinal));
        }

        return outbox.IsEmpty ? Task.CompletedTask : outbox.SendAsync(profile.MembershipVersion);
    }

    /// <summary>Time passed with no change to the profile: true when a membership differs now, or notices are pending.</summary>
    public bool ChangedWithTime(CustomerProfile profile, DateTimeOffset now)
    {
        var matching = SegmentEvaluator.MatchingSegments(rules.Definitions, profile, now);
        return !outbox.IsEmpty || !matching.ToHashSet(StringComparer.Ordinal).SetEquals(profile.SegmentIds);
    }

    /// <summary>
    /// Leaving memory: the next instant a time-dependent segment changes for this profile is handed to a wake-up grain,
    /// so it happens on time with the customer out of memory (or a wake-up set earlier is cancelled). True when the
    /// profile's wake-up flag changed.
    /// </summary>
    public async Task<bool> HandOverToWakeup(CustomerProfile profile, DateTimeOffset now)
    {
        var next = SegmentTiming.NextTransition(rules.Definitions, profile, now);
        if (next is null && !profile.HasWakeup)
        {
            return false;
        }

        await grains.GetGrain<ISegmentWakeupGrain>(SegmentSharding.ShardOf(customerId, wakeupShards)).Schedule(customerId, next);
        profile.HasWakeup = next is not null;
        return true;
    }

    /// <summary>A merged-away record belongs to no segment any more.</summary>
    public Task LeaveAll(CustomerProfile profile, DateTimeOffset now)
    {
        var (_, exited) = profile.SetSegments([], now);
        outbox.Post([], exited);
        return outbox.SendAsync(profile.MembershipVersion);
    }

    /// <summary>
    /// A deleted segment's shards are emptied at once, but each customer's own list only learns of it on a read: no need
    /// to wake every member, nor to tell the shards, which are already empty. True when the list changed.
    /// </summary>
    public bool ForgetDeleted(CustomerProfile profile, DateTimeOffset now)
    {
        if (profile.SegmentIds.Count == 0 || !profile.SegmentIds.Exists(rules.IsDeleted))
        {
            return false;
        }

        profile.SetSegments([.. profile.SegmentIds.Where(id => !rules.IsDeleted(id))], now);
        return true;
    }

    /// <summary>Before evaluating for a new catalog version, this silo must hold it, not the old definition.</summary>
    public Task CatchUpWith(long catalogVersion) => rules.Version < catalogVersion ? rules.RefreshAsync() : Task.CompletedTask;
}
