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

    public CustomerGrain(
        [PersistentState("profile", StorageNames.Profiles)] IPersistentState<CustomerProfile> state,
        EngineClock clock,
        SegmentRulesCache segmentRules,
        IOptions<ProfileEngineOptions> options)
    {
        _state = new CoalescedState<CustomerProfile>(state, this, options.Value.StateFlushInterval);
        _clock = clock;
        _segmentRules = segmentRules;
    }

    private CustomerProfile Profile => _state.Value;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.FlushAsync();

    public Task<CustomerChangeResult> Identify(IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits)
    {
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

    public Task<string?> CheckTraits(TraitsUpdate update) => Task.FromResult(Profile.CheckTraits(update));

    public Task<TrackOutcome> Track(TrackedEvent trackedEvent, IReadOnlyList<CustomerIdentifier> linked)
    {
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

        return Task.FromResult(new UpdateTraitsResult(ProfileView.From(Profile, now), error));
    }

    public Task<ProfileView?> GetProfile() =>
        Task.FromResult(Profile.Exists ? ProfileView.From(Profile, _clock.GetUtcNow()) : null);

    public Task<CheckoutView?> GetCheckoutSummary() =>
        Task.FromResult(Profile.Exists ? CheckoutView.From(Profile) : null);

    public Task<int> GetIdentifierRoom() => Task.FromResult(Limits.MaxIdentifiersPerCustomer - Profile.Identifiers.Count);

    public Task<IReadOnlyList<string>?> GetSegments() =>
        Task.FromResult<IReadOnlyList<string>?>(Profile.Exists ? [.. Profile.SegmentIds] : null);

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
