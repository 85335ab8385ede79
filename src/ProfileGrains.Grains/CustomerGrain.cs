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
    private bool _discarded;

    public CustomerGrain(
        [PersistentState("profile", StorageNames.Profiles)] IPersistentState<CustomerProfile> state,
        EngineClock clock,
        SegmentRulesCache segmentRules,
        IOptions<ProfileEngineOptions> options,
        ScoringOptions scoring,
        ICustomerJournal journal,
        ILogger<CustomerGrain> logger)
    {
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

        Changed(_clock.GetUtcNow());
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.FlushAsync();

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
        return Task.FromResult(Profile.Exists ? ProfileView.From(Profile, _clock.GetUtcNow(), _scoring) : null);
    }

    public Task<CheckoutView?> GetCheckoutSummary()
    {
        ThrowIfMerged();
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
            LeaveAllSegments();
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
        Changed(now);
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
        if (append.IsCompletedSuccessfully)
        {
            Changed(change.At);
            return Task.CompletedTask;
        }

        return AwaitAppend(append, change.At);
    }

    private async Task AwaitAppend(ValueTask append, DateTimeOffset at)
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

        Changed(at);
    }

    private void TruncateJournal()
    {
        if (Profile.JournalSequence > 0)
        {
            _journal.Truncate(this.GetPrimaryKeyString(), Profile.JournalSequence);
        }
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

    private void LeaveAllSegments()
    {
        var (_, exited) = Profile.SetSegments([]);
        foreach (var segmentId in exited)
        {
            GrainFactory.GetGrain<ISegmentGrain>(segmentId).MembershipChanged(Profile.CustomerId, false).Ignore();
        }
    }

    private void Changed(DateTimeOffset now)
    {
        _state.MarkDirty();
        var matching = SegmentEvaluator.MatchingSegments(_segmentRules.Definitions, Profile, now);
        var (entered, exited) = Profile.SetSegments(matching);
        foreach (var segmentId in entered)
        {
            GrainFactory.GetGrain<ISegmentGrain>(segmentId).MembershipChanged(Profile.CustomerId, true).Ignore();
        }

        foreach (var segmentId in exited)
        {
            GrainFactory.GetGrain<ISegmentGrain>(segmentId).MembershipChanged(Profile.CustomerId, false).Ignore();
        }
    }
}
