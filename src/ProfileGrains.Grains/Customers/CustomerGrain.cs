using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GrainType("customer")]
public sealed class CustomerGrain : Grain, ICustomerGrain
{
    private readonly CoalescedState<CustomerProfile> _state;
    private readonly EngineClock _clock;
    private readonly SegmentRulesCache _segmentRules;
    private readonly ScoringOptions _scoring;
    private readonly ICustomerJournal _journal;
    private readonly ILogger<CustomerGrain> _logger;
    private readonly ICustomerDirectory _directory;
    private readonly ContactPolicyOptions _contactPolicy;
    private readonly int _segmentShards;
    private readonly int _wakeupShards;
    private readonly TimeSpan _residentTimeCheck;
    private IGrainTimer? _timeCheck;

    /// <summary>Membership notices not yet confirmed by their shard (segment → member?); sent again with the next change.</summary>
    private readonly Dictionary<string, bool> _unsentMembership = new(StringComparer.Ordinal);
    private bool _discarded;

    public CustomerGrain(
        [PersistentState("profile", StorageNames.Profiles)] IPersistentState<CustomerProfile> state,
        EngineClock clock,
        SegmentRulesCache segmentRules,
        IOptions<ProfileEngineOptions> options,
        ScoringOptions scoring,
        ICustomerJournal journal,
        ICustomerDirectory directory,
        ContactPolicyOptions contactPolicy,
        ILogger<CustomerGrain> logger)
    {
        _contactPolicy = contactPolicy;
        _directory = directory;
        _segmentShards = options.Value.SegmentShards;
        _wakeupShards = options.Value.WakeupShards;
        _residentTimeCheck = options.Value.ResidentTimeCheckInterval;
        _scoring = scoring;
        _journal = journal;
        _logger = logger;
        var snapshotInterval = journal.IsDurable ? options.Value.JournaledSnapshotInterval : options.Value.StateFlushInterval;
        _state = new CoalescedState<CustomerProfile>(state, this, snapshotInterval, TruncateJournal);
        _clock = clock;
        _segmentRules = segmentRules;
    }

    private CustomerProfile Profile => _state.Value;

    /// <summary>The stored snapshot may lag: replay the journal after it, so every acknowledged change is back.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!_journal.IsDurable)
        {
            return;
        }

        var customerId = this.GetPrimaryKeyString();
        var tail = await _journal.ReadAfterAsync(customerId, Profile.JournalSequence, cancellationToken);
        if (tail.Count == 0)
        {
            return;
        }

        foreach (var entry in tail)
        {
            CustomerChanges.Apply(Profile, customerId, entry.Change);
            Profile.MarkJournaled(entry.Sequence);
        }

        await Changed(_clock.GetUtcNow());
    }

    /// <summary>
    /// Leaving memory: segments whose result changed with time while this customer sat idle are settled now, and the
    /// next time-driven transition is handed to a wake-up grain, so it happens on time with the customer out of memory.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo that is shutting down places no new activations: there is nobody left to tell. Wake-ups scheduled
        // when these customers last left memory remain; the rest are settled at their next call.
        if (!_discarded && Profile.Exists && Profile.MergedInto is null && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            try
            {
                var now = _clock.GetUtcNow();
                await SettleTimeDrivenMembership(now);
                var next = SegmentTiming.NextTransition(_segmentRules.Definitions, Profile, now);
                if (next is not null || Profile.HasWakeup)
                {
                    var shard = SegmentSharding.ShardOf(this.GetPrimaryKeyString(), _wakeupShards);
                    await GrainFactory.GetGrain<ISegmentWakeupGrain>(shard).Schedule(this.GetPrimaryKeyString(), next);
                    Profile.HasWakeup = next is not null;
                    _state.MarkDirty();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning(e, "Time-driven segment transitions of customer {CustomerId} could not be scheduled", this.GetPrimaryKeyString());
            }
        }

        await _state.FlushAsync();
    }

    public Task<CustomerChangeResult> Identify(IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits)
    {
        ThrowIfMerged();
        var now = _clock.GetUtcNow();
        var change = new IdentifyChange(now, linked, traits);
        var outcome = CustomerChanges.Apply(Profile, this.GetPrimaryKeyString(), change);
        var result = new CustomerChangeResult(outcome.Created, outcome.TraitsError);
        return outcome.Changed ? CommitThen(change, result) : Task.FromResult(result);
    }

    public Task<string?> CheckTraits(TraitsUpdate update)
    {
        ThrowIfMerged();
        return Task.FromResult(Profile.CheckTraits(update));
    }

    public Task<TrackOutcome> Track(TrackedEvent trackedEvent, IReadOnlyList<CustomerIdentifier> linked)
    {
        ThrowIfMerged();
        var change = new TrackChange(_clock.GetUtcNow(), trackedEvent, linked);
        var outcome = CustomerChanges.Apply(Profile, this.GetPrimaryKeyString(), change);
        return outcome.Changed ? CommitThen(change, outcome.Track) : Task.FromResult(outcome.Track);
    }

    public async Task<UpdateTraitsResult> UpdateTraits(TraitsUpdate update)
    {
        ThrowIfMerged();
        if (!Profile.Exists)
        {
            return new UpdateTraitsResult(null, null);
        }

        var change = new TraitsChange(_clock.GetUtcNow(), update);
        var outcome = CustomerChanges.Apply(Profile, this.GetPrimaryKeyString(), change);
        if (outcome.Changed)
        {
            await Commit(change);
        }

        return new UpdateTraitsResult(ProfileView.From(Profile, change.At, _scoring), outcome.TraitsError);
    }

    public Task<ProfileView?> GetProfile()
    {
        ThrowIfMerged();
        ForgetDeletedSegments();
        return Task.FromResult(Profile.Exists ? ProfileView.From(Profile, _clock.GetUtcNow(), _scoring) : null);
    }

    public Task<CheckoutView?> GetCheckoutSummary()
    {
        ThrowIfMerged();
        ForgetDeletedSegments();
        return Task.FromResult(Profile.Exists ? CheckoutView.From(Profile) : null);
    }

    public Task<IReadOnlyList<CustomerIdentifier>> GetIdentifiers()
    {
        ThrowIfMerged();
        return Task.FromResult<IReadOnlyList<CustomerIdentifier>>([.. Profile.Identifiers]);
    }

    public Task<IReadOnlyList<string>?> GetSegments()
    {
        ThrowIfMerged();
        ForgetDeletedSegments();
        return Task.FromResult<IReadOnlyList<string>?>(Profile.Exists ? [.. Profile.SegmentIds] : null);
    }

    public Task<IReadOnlyList<MergeRecord>> GetMergeHistory()
    {
        ThrowIfMerged();
        return Task.FromResult<IReadOnlyList<MergeRecord>>([.. Profile.MergeHistory]);
    }

    public async Task<CustomerProfile> BeginMergeInto(string survivorId)
    {
        ThrowIfDiscarded();
        var now = _clock.GetUtcNow();
        Profile.EnsureCreated(this.GetPrimaryKeyString(), now);
        if (Profile.MergedInto is null)
        {
            Profile.BeginMergeInto(survivorId, now);
            await WriteThrough();
            await LeaveAllSegments(now);
        }

        return Profile;
    }

    public async Task Absorb(CustomerProfile absorbed, MergeRecord record)
    {
        ThrowIfMerged();
        if (Profile.HasMerged(record.MergeId))
        {
            return;
        }

        var now = _clock.GetUtcNow();
        Profile.EnsureCreated(this.GetPrimaryKeyString(), now);
        Profile.Absorb(absorbed, record, now);
        await WriteThrough();
        await Changed(now);
    }

    public async Task CompleteMerge()
    {
        ThrowIfDiscarded();
        if (Profile.MergedInto is not null && !Profile.MergeCompleted)
        {
            Profile.ClearAfterMerge();
            await WriteThrough();
        }
    }

    private Task<T> CommitThen<T>(CustomerChange change, T result)
    {
        var commit = Commit(change);
        return commit.IsCompletedSuccessfully ? Task.FromResult(result) : AwaitCommit(commit, result);

        static async Task<T> AwaitCommit(Task pending, T result)
        {
            await pending;
            return result;
        }
    }

    /// <summary>
    /// The change is already applied in memory; it is acknowledged only once journaled. If the journal refuses it,
    /// this activation holds a change nobody was told about: drop it and let the next activation reload what is durable.
    /// </summary>
    private Task Commit(CustomerChange change)
    {
        var sequence = Profile.JournalSequence + 1;
        Profile.MarkJournaled(sequence);
        _state.MarkDirty();
        var append = _journal.AppendAsync(this.GetPrimaryKeyString(), sequence, change);
        // An event re-evaluates only the segments reading what it changed; anything else re-evaluates every segment.
        var changed = change is TrackChange track && sequence > 1 ? SegmentIndex.ChangedBy(track.Event) : null;
        return append.IsCompletedSuccessfully ? AfterCommit(change.At, sequence == 1, changed) : AwaitAppend(append, change.At, sequence == 1, changed);
    }

    private async Task AwaitAppend(ValueTask append, DateTimeOffset at, bool first, IReadOnlyList<string>? changed)
    {
        try
        {
            await append;
        }
        catch (Exception e)
        {
            Discard(e, "change");
            throw new StorageUnavailableException("durable storage did not take the change; it was not applied, retry with the same ids");
        }

        await AfterCommit(at, first, changed);
    }

    /// <summary>Segments follow every acknowledged change; a customer's first change also enters it in the directory.</summary>
    private Task AfterCommit(DateTimeOffset at, bool first, IReadOnlyList<string>? changed)
    {
        var membership = Changed(at, changed);
        if (!first)
        {
            return membership;
        }

        var registration = _directory.Register(this.GetPrimaryKeyString());
        return registration.IsCompletedSuccessfully ? membership : AwaitBoth(registration, membership);

        static async Task AwaitBoth(ValueTask registration, Task membership)
        {
            await registration;
            await membership;
        }
    }

    private void TruncateJournal()
    {
        if (Profile.JournalSequence > 0)
        {
            _journal.Truncate(this.GetPrimaryKeyString(), Profile.JournalSequence);
        }
    }

    /// <summary>
    /// A deleted segment's shards are emptied at once, but each customer's own list only learns of it here, on a read:
    /// no need to wake every member. Nothing to tell the shards, which are already empty.
    /// </summary>
    private void ForgetDeletedSegments()
    {
        if (Profile.SegmentIds.Count == 0 || !Profile.SegmentIds.Exists(_segmentRules.IsDeleted))
        {
            return;
        }

        Profile.SetSegments([.. Profile.SegmentIds.Where(id => !_segmentRules.IsDeleted(id))], _clock.GetUtcNow());
        _state.MarkDirty();
    }

    private void ThrowIfDiscarded()
    {
        if (_discarded)
        {
            throw new StorageUnavailableException("this customer is reloading from durable storage; retry");
        }
    }

    private void ThrowIfMerged()
    {
        ThrowIfDiscarded();
        if (Profile.MergedInto is { } survivor)
        {
            throw new CustomerMergedException(this.GetPrimaryKeyString(), survivor, Profile.MergeCompleted);
        }
    }

    /// <summary>Merge steps are written before they are acknowledged, so an interrupted merge can resume.</summary>
    private async Task WriteThrough()
    {
        _state.MarkDirty();
        try
        {
            await _state.FlushAsync();
        }
        catch (Exception e) when (_journal.IsDurable)
        {
            Discard(e, "merge step");
            throw new StorageUnavailableException("durable storage did not take the merge step; it was not applied, retry");
        }
    }

    private void Discard(Exception cause, string what)
    {
        _discarded = true;
        _state.Discard();
        this.DeactivateOnIdle();
        _logger.LogWarning(cause, "Durable write of a {What} failed for customer {CustomerId}; the change was not acknowledged", what, this.GetPrimaryKeyString());
    }

    private Task LeaveAllSegments(DateTimeOffset now)
    {
        var (_, exited) = Profile.SetSegments([], now);
        foreach (var segmentId in exited)
        {
            _unsentMembership[segmentId] = false;
        }

        return SendMembership();
    }

    /// <summary>
    /// While in memory, a customer whose segments depend on time checks them now and then, so "no purchase for 90 days"
    /// happens on time even if it neither calls nor leaves memory. Out of memory, a wake-up grain does it.
    /// </summary>
    private void ArmTimeCheck()
    {
        if (_timeCheck is not null || !_segmentRules.Index.HasTimeDependent || !Profile.Exists || Profile.MergedInto is not null)
        {
            return;
        }

        _timeCheck = this.RegisterGrainTimer(static self => self.CheckTime(), this, new GrainTimerCreationOptions
        {
            DueTime = _residentTimeCheck,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
    }

    private async Task CheckTime()
    {
        _timeCheck?.Dispose();
        _timeCheck = null;
        if (_discarded || !Profile.Exists || Profile.MergedInto is not null)
        {
            return;
        }

        await SettleTimeDrivenMembership(_clock.GetUtcNow());
        ArmTimeCheck();
    }

    /// <summary>Time passed with no change to the profile: only a membership that differs now is written and sent.</summary>
    private Task SettleTimeDrivenMembership(DateTimeOffset now)
    {
        var matching = SegmentEvaluator.MatchingSegments(_segmentRules.Definitions, Profile, now);
        return matching.ToHashSet(StringComparer.Ordinal).SetEquals(Profile.SegmentIds) && _unsentMembership.Count == 0
            ? Task.CompletedTask
            : Changed(now);
    }

    /// <summary>Re-evaluates every segment; the shards of segments entered or left hear of it before the caller is answered.</summary>
    private Task Changed(DateTimeOffset now, IReadOnlyList<string>? changedInputs = null, string? resendSegmentId = null)
    {
        _state.MarkDirty();
        ArmTimeCheck();
        var matching = changedInputs is null
            ? SegmentEvaluator.MatchingSegments(_segmentRules.Definitions, Profile, now)
            : _segmentRules.Index.Matching(Profile, Profile.SegmentIds, changedInputs, now);
        var (entered, exited) = Profile.SetSegments(matching, now);
        foreach (var segmentId in entered)
        {
            _unsentMembership[segmentId] = true;
        }

        foreach (var segmentId in exited)
        {
            _unsentMembership[segmentId] = false;
        }

        if (resendSegmentId is not null)
        {
            _unsentMembership[resendSegmentId] = Profile.SegmentIds.Contains(resendSegmentId, StringComparer.Ordinal);
        }

        return _unsentMembership.Count == 0 ? Task.CompletedTask : SendMembership();
    }

    /// <summary>
    /// Customers tell shards directly and wait for them, one notice per segment, each carrying the membership version,
    /// so a shard always ends with this customer's latest state. A shard that does not answer does not fail the caller
    /// (the change is already durable): the notice is kept and sent again with the next change.
    /// </summary>
    private async Task SendMembership()
    {
        var customerId = this.GetPrimaryKeyString();
        var version = Profile.MembershipVersion;
        var notices = _unsentMembership.ToList();
        try
        {
            await Task.WhenAll(notices.Select(notice => GrainFactory
                .GetGrain<ISegmentShardGrain>(SegmentSharding.ShardKey(notice.Key, SegmentSharding.ShardOf(customerId, _segmentShards)))
                .Apply(customerId, notice.Value, version)));
            foreach (var (segmentId, isMember) in notices)
            {
                if (_unsentMembership.TryGetValue(segmentId, out var current) && current == isMember)
                {
                    _unsentMembership.Remove(segmentId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Segment membership of customer {CustomerId} will be sent again with its next change", customerId);
        }
    }

    public async Task<bool> Reevaluate(string segmentId, long catalogVersion)
    {
        ThrowIfDiscarded();
        if (!Profile.Exists || Profile.MergedInto is not null)
        {
            return false;
        }

        if (_segmentRules.Version < catalogVersion)
        {
            // This silo has not seen the new definition yet: fetch it rather than evaluate the old one.
            await _segmentRules.RefreshAsync();
        }

        await Changed(_clock.GetUtcNow(), resendSegmentId: segmentId);
        return true;
    }

    public Task<PersonalizationView?> GetPersonalization()
    {
        ThrowIfMerged();
        ForgetDeletedSegments();
        return Task.FromResult(Profile.Exists ? PersonalizationView.From(Profile, _clock.GetUtcNow(), _scoring) : null);
    }

    public Task<ContactDecision?> CanContact(ContactChannel channel)
    {
        ThrowIfMerged();
        return Task.FromResult(Profile.Exists ? ContactPolicy.Decide(Profile, channel, _clock.GetUtcNow(), _contactPolicy) : null);
    }

    public async Task WakeUp()
    {
        if (_discarded || !Profile.Exists || Profile.MergedInto is not null)
        {
            return;
        }

        Profile.HasWakeup = false;
        await Changed(_clock.GetUtcNow());
    }
}
