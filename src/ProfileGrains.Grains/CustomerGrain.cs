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

    public CustomerGrain(
        [PersistentState("profile", StorageNames.Profiles)] IPersistentState<CustomerProfile> state,
        EngineClock clock,
        SegmentRulesCache segmentRules,
        IOptions<ProfileEngineOptions> options,
        ScoringOptions scoring)
    {
        _scoring = scoring;
        _state = new CoalescedState<CustomerProfile>(state, this, options.Value.StateFlushInterval);
        _clock = clock;
        _segmentRules = segmentRules;
    }

    private CustomerProfile Profile => _state.Value;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.FlushAsync();

    public Task<CustomerChangeResult> Identify(IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits)
    {
        ThrowIfMerged();
        var now = _clock.GetUtcNow();
        if (Profile.CheckTraits(traits) is { } error)
        {
            return Task.FromResult(new CustomerChangeResult(false, error));
        }

        var created = Profile.EnsureCreated(this.GetPrimaryKeyString(), now);
        Profile.AddIdentifiers(linked, now);
        Profile.ApplyTraits(traits, now);
        Changed(now);
        return Task.FromResult(new CustomerChangeResult(created, null));
    }

    public Task<string?> CheckTraits(TraitsUpdate update)
    {
        ThrowIfMerged();
        return Task.FromResult(Profile.CheckTraits(update));
    }

    public Task<TrackOutcome> Track(TrackedEvent trackedEvent, IReadOnlyList<CustomerIdentifier> linked)
    {
        ThrowIfMerged();
        var now = _clock.GetUtcNow();
        var created = Profile.EnsureCreated(this.GetPrimaryKeyString(), now);
        var added = Profile.AddIdentifiers(linked, now);
        var outcome = Profile.Apply(trackedEvent, now);
        if (created || added.Count > 0 || outcome == TrackOutcome.Accepted)
        {
            Changed(now);
        }

        return Task.FromResult(outcome);
    }

    public Task<UpdateTraitsResult> UpdateTraits(TraitsUpdate update)
    {
        ThrowIfMerged();
        if (!Profile.Exists)
        {
            return Task.FromResult(new UpdateTraitsResult(null, null));
        }

        var now = _clock.GetUtcNow();
        var error = Profile.ApplyTraits(update, now);
        if (error is null)
        {
            Changed(now);
        }

        return Task.FromResult(new UpdateTraitsResult(ProfileView.From(Profile, now, _scoring), error));
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
        if (Profile.MergedInto is not null && !Profile.MergeCompleted)
        {
            Profile.ClearAfterMerge();
            await WriteThrough();
        }
    }

    private void ThrowIfMerged()
    {
        if (Profile.MergedInto is { } survivor)
        {
            throw new CustomerMergedException(this.GetPrimaryKeyString(), survivor, Profile.MergeCompleted);
        }
    }

    /// <summary>Merge steps are written before they are acknowledged, so an interrupted merge can resume.</summary>
    private async Task WriteThrough()
    {
        _state.MarkDirty();
        await _state.FlushAsync();
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
