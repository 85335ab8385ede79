using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The customer's side of segment membership: which segments its profile matches now, and the notices that tell the
/// shards of those it entered or left (<see cref="MembershipOutbox"/>), sent before the caller is answered. What
/// changed is first made durable as rows (<see cref="MembershipWrite"/>) from which the shards can be rebuilt.
/// </summary>
internal sealed class CustomerSegments(string customerId, IGrainFactory grains, SegmentRulesCache rules, MembershipOutbox outbox, int wakeupShards, EngineMetrics metrics)
{
    /// <summary>A segment being written (not yet defined), prepared as this silo evaluates segments.</summary>
    public SegmentDefinition Probe(SegmentDefinition definition) => rules.Prepare(definition);

    private static readonly MembershipWrite NoChange = new(0, 0, [], []);

    /// <summary>Until this instant, time alone has changed none of the profile's time-dependent memberships since they were last evaluated.</summary>
    private DateTimeOffset _timeSettledUntil = DateTimeOffset.MinValue;

    /// <summary>The catalog version <see cref="_timeSettledUntil"/> was computed under.</summary>
    private long _settledUnderVersion = -1;

    public bool AnyDependOnTime => rules.Index.HasTimeDependent;

    /// <summary>
    /// Re-evaluates the segments reading <paramref name="changedInputs"/> (plus the time-dependent ones once time has
    /// moved past an instant at which they could change), or every segment when null, and queues the notices of those
    /// entered or left; <paramref name="resendSegmentId"/> is told (and its row written) even if it did not change.
    /// Returns the rows to make durable before the shards are told (<see cref="Notify"/>).
    /// </summary>
    public MembershipWrite Evaluate(CustomerProfile profile, DateTimeOffset now, IReadOnlyList<string>? changedInputs = null, string? resendSegmentId = null)
    {
        var index = rules.Index;
        var matching = changedInputs is null
            ? SegmentEvaluator.MatchingSegments(rules.Definitions, profile, now)
            : index.Matching(profile, profile.SegmentIds, changedInputs, timeMoved: now >= _timeSettledUntil, now);
        Settle(profile, now, index);
        var (entered, exited) = profile.SetSegments(matching, now);
        metrics.CountTransitions(entered.Count, exited.Count);
        outbox.Post(entered, exited);
        if (resendSegmentId is null)
        {
            return entered.Count == 0 && exited.Count == 0 ? NoChange : new MembershipWrite(outbox.Shard, profile.MembershipVersion, entered, exited);
        }

        var isMember = profile.SegmentIds.Contains(resendSegmentId, StringComparer.Ordinal);
        outbox.Post(resendSegmentId, isMember);
        return new MembershipWrite(
            outbox.Shard,
            profile.MembershipVersion,
            isMember ? [.. entered.Append(resendSegmentId).Distinct(StringComparer.Ordinal)] : entered,
            isMember ? exited : [.. exited.Append(resendSegmentId).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Tells the shards every queued notice (those that do not answer are kept for the next change).</summary>
    public Task Notify(CustomerProfile profile) => outbox.IsEmpty ? Task.CompletedTask : outbox.SendAsync(profile.MembershipVersion);

    /// <summary>
    /// Time passed with no change to the profile: true when a membership differs now, or notices are pending. Before
    /// the first instant at which time could change one, under the same definitions, nothing is evaluated.
    /// </summary>
    public bool ChangedWithTime(CustomerProfile profile, DateTimeOffset now)
    {
        var index = rules.Index;
        if (now < _timeSettledUntil && _settledUnderVersion == rules.Version)
        {
            return !outbox.IsEmpty;
        }

        var matching = SegmentEvaluator.MatchingSegments(rules.Definitions, profile, now);
        var changed = !outbox.IsEmpty || !matching.ToHashSet(StringComparer.Ordinal).SetEquals(profile.SegmentIds);
        if (!changed)
        {
            Settle(profile, now, index);
        }

        return changed;
    }

    private void Settle(CustomerProfile profile, DateTimeOffset now, SegmentIndex index)
    {
        _timeSettledUntil = index.TimeSettledUntil(profile, now);
        _settledUnderVersion = rules.Version;
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

    /// <summary>A merged-away record belongs to no segment any more: the rows to write before <see cref="Notify"/>.</summary>
    public MembershipWrite LeaveAll(CustomerProfile profile, DateTimeOffset now)
    {
        var (_, exited) = profile.SetSegments([], now);
        metrics.CountTransitions(0, exited.Count);
        outbox.Post([], exited);
        return exited.Count == 0 ? NoChange : new MembershipWrite(outbox.Shard, profile.MembershipVersion, [], exited);
    }

    /// <summary>Erasure: no wake-up may bring the customer back, and the rows to delete are those of every segment defined.</summary>
    public Task CancelWakeup() => grains.GetGrain<ISegmentWakeupGrain>(SegmentSharding.ShardOf(customerId, wakeupShards)).Schedule(customerId, null);

    public IReadOnlyList<string> DefinedSegmentIds => [.. rules.Definitions.Select(d => d.SegmentId)];

    /// <summary>Erasure: every segment's shard of this customer forgets it, change log included (after its rows are gone).</summary>
    public Task ForgetEverywhere() => Task.WhenAll(DefinedSegmentIds.Select(segmentId =>
        grains.GetGrain<ISegmentShardGrain>(SegmentSharding.ShardKey(segmentId, outbox.Shard)).Forget(customerId)));

    public int Shard => outbox.Shard;

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
