using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// One shard of a segment's membership, told by customers as they enter and leave. With durable storage the stored
/// rows are the truth: the shard loads its members from them when it activates and re-reads the recently written ones
/// on a timer, so a notice lost with a killed silo is healed within <see cref="ProfileGrainsOptions.SegmentShardRereadInterval"/>.
/// </summary>
[GrainType("segment-shard")]
public sealed class SegmentShardGrain : Grain, ISegmentShardGrain
{
    // Rows are stamped by the store when written but become visible only at commit: re-read a little behind the last read.
    private static readonly TimeSpan CommitLag = TimeSpan.FromSeconds(10);

    private readonly CoalescedState<SegmentShardState> _state;
    private readonly ISegmentMembershipStore _store;
    private readonly EngineClock _clock;
    private readonly ProfileGrainsOptions _options;
    private readonly ILogger<SegmentShardGrain> _logger;
    private DateTimeOffset _readAt;
    private string _segmentId = string.Empty;
    private int _shard;

    public SegmentShardGrain(
        [PersistentState("shard", StorageNames.Segments)] IPersistentState<SegmentShardState> state,
        ISegmentMembershipStore store,
        EngineClock clock,
        IOptions<ProfileGrainsOptions> options,
        ILogger<SegmentShardGrain> logger)
    {
        _state = new CoalescedState<SegmentShardState>(state, this, options.Value.CoalescedWriteInterval);
        _store = store;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
    }

    private SegmentShardState State => _state.Value;

    private int LogCapacity => _options.SegmentChangeLogCapacity;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _state.OnActivateAsync();
        State.Open(newEpoch: Random.Shared.NextInt64(1, long.MaxValue));
        if (_store.IsDurable)
        {
            (_segmentId, _shard) = SegmentSharding.ParseShardKey(this.GetPrimaryKeyString());
            var stored = await _store.ReadAsync(_segmentId, _shard, changedSince: null, cancellationToken);
            _readAt = stored.ReadAt;
            var healed = State.Reconcile(stored.Rows.ToDictionary(r => r.CustomerId, r => r.Version, StringComparer.Ordinal), _clock.GetUtcNow(), LogCapacity);
            if (healed > 0)
            {
                _logger.LogInformation("Segment shard {Shard} took {Count} membership changes from storage that it had not been told", this.GetPrimaryKeyString(), healed);
            }

            this.RegisterGrainTimer(RereadRecentRows, _options.SegmentShardRereadInterval, _options.SegmentShardRereadInterval);
        }

        // The epoch must be stored before any sequence number of it is handed out.
        _state.MarkDirty();
        await _state.FlushAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        State.Close();
        _state.MarkDirty();
        return _state.OnDeactivateAsync(reason);
    }

    public Task Apply(string customerId, bool isMember, long version)
    {
        if (State.Apply(customerId, isMember, version, _clock.GetUtcNow(), LogCapacity) is not null)
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
        State.Clear(_clock.GetUtcNow(), LogCapacity);
        _state.MarkDirty();
        return Task.CompletedTask;
    }

    public async Task Forget(string customerId)
    {
        if (State.Forget(customerId))
        {
            _state.MarkDirty();
            await _state.FlushAsync();
        }
    }

    /// <summary>Rows written since the last read (and a little before): what a customer wrote but could not tell this shard.</summary>
    private async Task RereadRecentRows(CancellationToken cancellationToken)
    {
        MemberRows rows;
        try
        {
            rows = await _store.ReadAsync(_segmentId, _shard, _readAt - CommitLag, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(e, "Segment shard {Shard} could not re-read its rows; it will try again", this.GetPrimaryKeyString());
            return;
        }

        _readAt = rows.ReadAt;
        var now = _clock.GetUtcNow();
        var healed = 0;
        foreach (var row in rows.Rows)
        {
            healed += State.Apply(row.CustomerId, row.IsMember, row.Version, now, LogCapacity) is null ? 0 : 1;
        }

        if (healed > 0)
        {
            _state.MarkDirty();
            _logger.LogInformation("Segment shard {Shard} took {Count} membership changes from storage that it had not been told", this.GetPrimaryKeyString(), healed);
        }
    }
}
