using Orleans.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// One customer: the unified profile, kept in memory. Every change is applied by the pure domain
/// (<see cref="CustomerChanges"/>), made durable by <see cref="DurableProfile"/>, then followed by its segments
/// (<see cref="CustomerSegments"/>) before the caller hears OK. Merges are driven from outside, step by step, by the
/// <see cref="MergeCoordinator"/>.
/// </summary>
[GrainType(GrainReferences.CustomerType)]
public sealed class CustomerGrain : Grain, ICustomerGrain, ITimeDrivenChanges
{
    private readonly DurableProfile _profile;
    private readonly CustomerSegments _segments;
    private readonly TimeDrivenMembership _timeDriven;
    private readonly EngineClock _clock;
    private readonly ScoringOptions _scoring;
    private readonly ContactPolicyOptions _contactPolicy;
    private readonly int _anonymousIdCap;
    private readonly TimelineLimits _timeline;
    private readonly TimeSpan _conversionWindow;
    private readonly DeepCopier _copier;

    // Read once: GetPrimaryKeyString decodes the grain key into a new string on every call.
    private readonly string _customerId;

    public CustomerGrain(
        [PersistentState("profile", StorageNames.Profiles)] IPersistentState<CustomerProfile> state,
        IOptions<ProfileGrainsOptions> options,
        EngineClock clock,
        SegmentRulesCache segmentRules,
        ICustomerJournal journal,
        ICustomerDirectory directory,
        ISegmentMembershipStore membership,
        ScoringOptions scoring,
        ContactPolicyOptions contactPolicy,
        IdentityProtectionPolicy protection,
        SnapshotWriteGate snapshotWrites,
        DeepCopier copier,
        IErasureRegistry erasures,
        DoNotCallCache doNotCall,
        ProfileEnrichers enrichers,
        EngineMetrics metrics,
        ILogger<CustomerGrain> logger)
    {
        _metrics = metrics;
        _enrichers = enrichers;
        _doNotCall = doNotCall;
        _erasures = erasures;
        _personalizationNeedsConsent = options.Value.PersonalizationNeedsConsent;
        var customerId = _customerId = this.GetPrimaryKeyString();
        var engine = options.Value;
        _profile = new DurableProfile(customerId, state, this, journal, directory, membership, engine, snapshotWrites, logger);
        var outbox = new MembershipOutbox(customerId, GrainFactory, engine.SegmentShards, logger);
        _segments = new CustomerSegments(customerId, GrainFactory, segmentRules, outbox, engine.WakeupShards, metrics);
        _timeDriven = new TimeDrivenMembership(this, engine.ResidentTimeCheckInterval, _profile, _segments, this, clock, logger);
        _clock = clock;
        _scoring = scoring;
        _contactPolicy = contactPolicy;
        _anonymousIdCap = protection.MaxValues(IdentifierType.AnonymousId);
        _timeline = engine.Timeline;
        _conversionWindow = engine.CampaignConversionWindow;
        _copier = copier;
    }

    /// <summary>
    /// A customer id younger than this may be one a request has just claimed identifiers for and is about to create:
    /// only older ids are looked up in the erasure registry before being created.
    /// </summary>
    public static readonly TimeSpan ErasureRegistryAge = TimeSpan.FromMinutes(10);

    private readonly IErasureRegistry _erasures;
    private readonly bool _personalizationNeedsConsent;
    private readonly DoNotCallCache _doNotCall;
    private readonly ProfileEnrichers _enrichers;
    private readonly EngineMetrics _metrics;

    // Enrichment reads identifiers and traits; an event changes neither unless it links a new identifier.
    private int _enrichedIdentifiers = -1;

    private CustomerProfile Profile => _profile.Value;

    private string CustomerId => _customerId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _metrics.CustomerActivated();
        await _profile.OnActivateAsync();
        var replayed = await _profile.ReplayJournalAsync(cancellationToken);
        Enrich();
        if (replayed || _profile.IsLive)
        {
            await SettleSegmentsOnActivation(replayed);
        }
    }

    /// <summary>
    /// Leaving memory: segments whose result changed with time while this customer sat idle are settled now, and the
    /// next time-driven transition is handed to a wake-up grain, so it happens on time with the customer out of memory.
    /// A silo shutting down places no new activations: wake-ups set when these customers last left memory remain.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_profile.IsLive && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await _timeDriven.HandOverAsync();
        }

        await _profile.OnDeactivateAsync(reason);
        _metrics.CustomerDeactivated();
    }

    // Changes

    public Task<CustomerChangeResult> Identify(IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits)
    {
        _profile.ThrowIfUnavailable();
        ThrowIfMovedAway(linked);
        return Profile.Exists ? IdentifyNow(linked, traits) : AfterCreationCheck(() => IdentifyNow(linked, traits));
    }

    private Task<CustomerChangeResult> IdentifyNow(IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits)
    {
        var change = new IdentifyChange(_clock.GetUtcNow(), linked, traits, _anonymousIdCap);
        var outcome = CustomerChanges.Apply(Profile, CustomerId, change);
        var result = new CustomerChangeResult(outcome.Created, outcome.TraitsError);
        return outcome.Changed ? CommitThen(change, result) : Task.FromResult(result);
    }

    public Task<TrackOutcome> Track(TrackedEvent trackedEvent, IReadOnlyList<CustomerIdentifier> linked)
    {
        _profile.ThrowIfUnavailable();
        ThrowIfMovedAway(linked);
        return Profile.Exists ? TrackNow(trackedEvent, linked) : AfterCreationCheck(() => TrackNow(trackedEvent, linked));
    }

    private Task<TrackOutcome> TrackNow(TrackedEvent trackedEvent, IReadOnlyList<CustomerIdentifier> linked)
    {
        var change = new TrackChange(_clock.GetUtcNow(), trackedEvent, linked, _anonymousIdCap, _timeline, _conversionWindow);
        var outcome = CustomerChanges.Apply(Profile, CustomerId, change);
        if (!outcome.Changed)
        {
            return Task.FromResult(outcome.Track);
        }

        if (outcome.Track == TrackOutcome.Accepted)
        {
            _metrics.CountEvent(trackedEvent.Type);
        }

        return Profile.CampaignTally is { } tally ? CommitThenTellCampaign(change, outcome.Track, tally) : CommitThen(change, outcome.Track);
    }

    /// <summary>A campaign event counts in the campaign's indicators once it is durable here, with the segments it left the customer in.</summary>
    private async Task<TrackOutcome> CommitThenTellCampaign(TrackChange change, TrackOutcome result, CampaignTally tally)
    {
        await Commit(change);
        await GrainFactory.GetGrain<ICampaignGrain>(tally.Campaign).Record(tally with { SegmentIds = [.. Profile.SegmentIds], EventId = change.Event.EventId });
        return result;
    }

    public async Task<UpdateTraitsResult> UpdateTraits(TraitsUpdate update)
    {
        _profile.ThrowIfUnavailable();
        if (!Profile.Exists)
        {
            return new UpdateTraitsResult(null, null);
        }

        var change = new TraitsChange(_clock.GetUtcNow(), update);
        var outcome = CustomerChanges.Apply(Profile, CustomerId, change);
        if (outcome.Changed)
        {
            await Commit(change);
        }

        return new UpdateTraitsResult(ProfileView.From(Profile, change.At, _scoring), outcome.TraitsError);
    }

    public Task<string?> CheckTraits(TraitsUpdate update)
    {
        _profile.ThrowIfUnavailable();
        return Task.FromResult(Profile.CheckTraits(update));
    }

    // Reads

    public Task<ProfileView?> GetProfile() => Read(static (self, now) => ProfileView.From(self.Profile, now, self._scoring));

    public Task<CheckoutView?> GetCheckoutSummary() => Read(static (self, now) => CheckoutView.From(self.Profile, now, self._scoring));

    public Task<PersonalizationView?> GetPersonalization() =>
        Read(static (self, now) => PersonalizationView.From(self.Profile, now, self._scoring, self._personalizationNeedsConsent));

    public Task<CustomerInsight?> GetInsight(SegmentDefinition? probe)
    {
        // A record merged into another or erased is nobody's profile any more, though the directory may still list it.
        _profile.ThrowIfDiscarded();
        return _profile.IsErased || Profile.MergedInto is not null
            ? Task.FromResult<CustomerInsight?>(null)
            : Read((self, now) => CustomerInsight.From(self.Profile, now, self._scoring, probe is null ? null : self._segments.Probe(probe)));
    }

    public Task<CustomerRecordView?> GetRecord() => Read(static (self, now) => CustomerRecordView.From(self.Profile, now, self._scoring));

    public Task<TimelinePage?> GetTimeline(TimelineQuery query) => Read((self, now) =>
    {
        var before = query.BeforeTicks is { } ticks ? (ticks, query.BeforeEventId ?? string.Empty) : ((long, string)?)null;
        var (page, more) = self.Profile.Timeline.Read(query.Types, query.Channels, before, query.Max, now, self._timeline.OrDefault().MaxAge);
        return new TimelinePage(self.CustomerId, page, more);
    });

    public Task<IReadOnlyList<string>?> GetSegments() => Read<IReadOnlyList<string>>(static (self, _) => [.. self.Profile.SegmentIds]);

    public Task<ContactDecision?> CanContact(ContactChannel channel)
    {
        _profile.ThrowIfUnavailable();
        return Task.FromResult(Profile.Exists ? ContactPolicy.Decide(Profile, channel, _clock.GetUtcNow(), _contactPolicy, _doNotCall.Current) : null);
    }

    public Task<IReadOnlyList<CustomerIdentifier>> GetIdentifiers()
    {
        _profile.ThrowIfUnavailable();
        return Task.FromResult<IReadOnlyList<CustomerIdentifier>>([.. Profile.Identifiers]);
    }

    public Task<IReadOnlyList<MergeRecord>> GetMergeHistory()
    {
        _profile.ThrowIfUnavailable();
        return Task.FromResult<IReadOnlyList<MergeRecord>>([.. Profile.MergeHistory]);
    }

    // Merge steps, each idempotent and written through before it is acknowledged

    public async Task<CustomerProfile> BeginMergeInto(string survivorId)
    {
        _profile.ThrowIfDiscarded();
        await EnsureMayBeCreated();
        var now = _clock.GetUtcNow();
        Profile.EnsureCreated(CustomerId, now);
        if (Profile.MergedInto is null)
        {
            Profile.BeginMergeInto(survivorId, now);
            await _profile.WriteThrough();
        }

        // Also when resuming a merge whose coordinator died before the segments heard of it.
        await _profile.WriteMembership(_segments.LeaveAll(Profile, now));
        await _segments.Notify(Profile);
        return Profile;
    }

    public async Task Absorb(CustomerProfile absorbed, MergeRecord record)
    {
        _profile.ThrowIfUnavailable();
        if (Profile.HasMerged(record.MergeId))
        {
            return;
        }

        await EnsureMayBeCreated();
        var now = _clock.GetUtcNow();
        Profile.EnsureCreated(CustomerId, now);
        Profile.MakeLatestMergeFinal();
        var undo = new MergeUndo(record, _copier.Copy(Profile), _copier.Copy(absorbed));
        Profile.Absorb(absorbed, record, now, _anonymousIdCap, _timeline);
        Profile.StartUndo(undo);
        await _profile.WriteThrough();
        await Changed(now);
    }

    public async Task CompleteMerge()
    {
        _profile.ThrowIfDiscarded();
        if (Profile.MergedInto is not null && !Profile.MergeCompleted)
        {
            Profile.ClearAfterMerge();
            await _profile.WriteThrough();
        }
    }

    // Unmerge steps, each idempotent and written through before it is acknowledged

    public async Task<UnmergeStart> BeginUnmerge(string mergeId, string reason)
    {
        _profile.ThrowIfUnavailable();
        if (Profile.PendingRestore is { } pending)
        {
            return pending.MergeId == mergeId ? new UnmergeStart(null, pending) : new UnmergeStart($"the unmerge of {pending.MergeId} is still under way; retry", null);
        }

        var now = _clock.GetUtcNow();
        if (Profile.WhyNotUnmerge(mergeId, now) is { } refusal)
        {
            return new UnmergeStart(refusal, null);
        }

        var undo = _copier.Copy(Profile.MergeUndo!);
        var restore = Unmerging.Split(undo, Profile, reason, now);
        var survivor = undo.SurvivorBefore;
        survivor.BeginRestore(restore);
        _profile.Replace(survivor);
        await _profile.WriteThrough();
        await Changed(now);
        return new UnmergeStart(null, restore);
    }

    public async Task Restore(PendingRestore restore)
    {
        _profile.ThrowIfDiscarded();
        if (Profile.MergedInto is null && Profile.HasMerged(restore.Unmerge.MergeId))
        {
            return;
        }

        var now = _clock.GetUtcNow();
        var restored = _copier.Copy(restore.Restored);
        restored.TakePlaceOf(Profile, restore.Merge, restore.Unmerge, now);
        _profile.Replace(restored);
        await _profile.WriteThrough();
        await Changed(now);
    }

    public async Task CompleteUnmerge(string mergeId)
    {
        _profile.ThrowIfUnavailable();
        if (Profile.PendingRestore?.MergeId == mergeId)
        {
            Profile.CompleteRestore();
            await _profile.WriteThrough();
        }
    }

    // Erasure steps, each idempotent; the coordinator records the erasure before the last one

    public async Task<ErasurePlan?> BeginErase()
    {
        _profile.ThrowIfDiscarded();
        if (!_profile.IsErased)
        {
            _profile.ThrowIfMergedAway();
        }

        if (!Profile.Exists)
        {
            return null;
        }

        if (Profile.PendingRestore is { } unmerge)
        {
            return new ErasurePlan(CustomerId, [], [], unmerge.MergeId);
        }

        _profile.StopForErasure();
        await _profile.WriteMembership(_segments.LeaveAll(Profile, _clock.GetUtcNow()));
        await _segments.Notify(Profile);
        return ErasurePlan.For(Profile);
    }

    public Task<ErasurePlan?> BeginEraseIfInactive(DateTimeOffset since)
    {
        _profile.ThrowIfUnavailable();
        return Profile.Exists && Profile.UpdatedAt < since && Profile.PendingRestore is null ? BeginErase() : Task.FromResult<ErasurePlan?>(null);
    }

    public async Task CompleteErase()
    {
        _profile.ThrowIfDiscarded();
        _profile.StopForErasure();
        await _segments.CancelWakeup();
        await _profile.EraseAsync(_segments.Shard, _segments.DefinedSegmentIds);
        await _segments.ForgetEverywhere();

        // While in memory it refuses to be created again, whatever its age; after that the erasure registry answers.
        DelayDeactivation(ErasureRegistryAge);
    }

    // Segments and time

    public async Task<bool> Reevaluate(string segmentId, long catalogVersion)
    {
        _profile.ThrowIfDiscarded();
        if (!_profile.IsLive)
        {
            return false;
        }

        await _segments.CatchUpWith(catalogVersion);
        await Changed(_clock.GetUtcNow(), resendSegmentId: segmentId);
        return true;
    }

    public async Task WakeUp()
    {
        if (_profile.IsLive)
        {
            Profile.HasWakeup = false;
            await Changed(_clock.GetUtcNow());
        }
    }

    // Commit protocol

    private Task<T> CommitThen<T>(CustomerChange change, T result)
    {
        var commit = Commit(change);
        return commit.IsCompletedSuccessfully ? Task.FromResult(result) : Then(commit, result);

        static async Task<T> Then(Task pending, T result)
        {
            await pending;
            return result;
        }
    }

    /// <summary>
    /// The change is already applied in memory. Its segments are evaluated before it is journaled, so the memberships
    /// it moves are durable in the same commit; the shards are told once it is, and the caller hears OK after that.
    /// An event re-evaluates only the segments reading what it changed; anything else re-evaluates every segment.
    /// </summary>
    private Task Commit(CustomerChange change)
    {
        if (change is not TrackChange || Profile.Identifiers.Count != _enrichedIdentifiers)
        {
            Enrich();
        }

        var changedInputs = change is TrackChange track && _profile.NextSequence > 1 ? SegmentIndex.ChangedBy(track.Event) : null;
        var membership = _segments.Evaluate(Profile, change.At, changedInputs);
        _timeDriven.Arm();
        var append = _profile.Append(change, membership);
        return append.IsCompletedSuccessfully ? _segments.Notify(Profile) : NotifyAfter(append);
    }

    private async Task NotifyAfter(ValueTask<long> append)
    {
        await append;
        await _segments.Notify(Profile);
    }

    Task ITimeDrivenChanges.ChangedWithTime(DateTimeOffset now) => Changed(now);

    /// <summary>A change outside the journal (time passing, a merge, a rule change): its memberships are written, then told.</summary>
    private async Task Changed(DateTimeOffset now, string? resendSegmentId = null)
    {
        Enrich();
        _profile.MarkDirty();
        _timeDriven.Arm();
        await _profile.WriteMembership(_segments.Evaluate(Profile, now, resendSegmentId: resendSegmentId));
        await _segments.Notify(Profile);
    }

    /// <summary>
    /// Whatever the journal replayed, or time changed while the customer was away, is evaluated at once. A membership
    /// written as rows but lost from the snapshot with a killed silo is written again here; replay recomputes the
    /// segments, so this alone schedules no snapshot.
    /// </summary>
    private async Task SettleSegmentsOnActivation(bool replayed)
    {
        var membership = _segments.Evaluate(Profile, _clock.GetUtcNow());
        if (replayed || !membership.IsEmpty)
        {
            _profile.MarkDirty(writeSoon: false);
            _timeDriven.Arm();
        }

        await _profile.WriteMembership(membership);
        await _segments.Notify(Profile);
    }

    private void Enrich()
    {
        if (Profile.Exists)
        {
            Profile.Enrich(_enrichers);
            _enrichedIdentifiers = Profile.Identifiers.Count;
        }
    }

    private async Task<T> AfterCreationCheck<T>(Func<Task<T>> change)
    {
        await EnsureMayBeCreated();
        return await change();
    }

    /// <summary>
    /// An id that does not exist yet is created by the change about to apply, unless it belonged to a customer since
    /// erased: a silo's identity cache can still route that person's identifiers here. Ids minted moments ago (a request
    /// claimed identifiers for them and is about to create them) need no lookup; this activation remembers its own erasure.
    /// </summary>
    private async ValueTask EnsureMayBeCreated()
    {
        if (Profile.Exists)
        {
            return;
        }

        if (!_profile.IsErased)
        {
            var minted = CustomerIdTime.Of(CustomerId);
            if (minted is { } at && _clock.GetUtcNow() - at < ErasureRegistryAge)
            {
                return;
            }

            if (!await _erasures.WasErasedAsync(CustomerId))
            {
                return;
            }

            _profile.StopForErasure();
        }

        throw new CustomerErasedException(CustomerId);
    }

    /// <summary>A change that came only through identifiers an unmerge gave back is not this customer's: the caller is sent on.</summary>
    private void ThrowIfMovedAway(IReadOnlyList<CustomerIdentifier> linked)
    {
        if (Profile.MovedTo(linked) is { } movedTo)
        {
            throw new IdentifiersMovedException(CustomerId, movedTo, Profile.PendingRestore?.MergeId);
        }
    }

    /// <summary>A read of the profile; the views are static lambdas so the checkout and website paths allocate no closure.</summary>
    private Task<T?> Read<T>(Func<CustomerGrain, DateTimeOffset, T> view)
        where T : class
    {
        _profile.ThrowIfUnavailable();
        var now = _clock.GetUtcNow();
        if (_segments.ForgetDeleted(Profile, now))
        {
            _profile.MarkDirty();
        }

        return Task.FromResult(Profile.Exists ? view(this, now) : null);
    }
}
