using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GrainType("segment-shard")]
public sealed class SegmentShardGrain : Grain, ISegmentShardGrain
{
    private readonly CoalescedState<SegmentShardState> _state;
    private readonly EngineClock _clock;
    private readonly int _logCapacity;

    public SegmentShardGrain(
        [PersistentState("shard", StorageNames.Segments)] IPersistentState<SegmentShardState> state,
        EngineClock clock,
        IOptions<ProfileGrainsOptions> options)
    {
        _state = new CoalescedState<SegmentShardState>(state, this, options.Value.CoalescedWriteInterval);
        _clock = clock;
        _logCapacity = options.Value.SegmentChangeLogCapacity;
    }

    private SegmentShardState State => _state.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.OnActivateAsync();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.OnDeactivateAsync(reason);

    public Task Apply(string customerId, bool isMember, long version)
    {
        if (State.Apply(customerId, isMember, version, _clock.GetUtcNow(), _logCapacity) is not null)
        {
            _state.MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task<long> Count() => Task.FromResult((long)State.Count);

    public Task<IReadOnlyList<string>> List(string? afterCustomerId, int max) => Task.FromResult(State.ListAfter(afterCustomerId, max));

    public Task<MembershipChanges> ReadChanges(long afterSequence, int max) => Task.FromResult(State.ReadAfter(afterSequence, max));

    public Task Clear()
    {
        State.Clear(_clock.GetUtcNow(), _logCapacity);
        _state.MarkDirty();
        return Task.CompletedTask;
    }
}
