using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// One segment: its rule (versioned) and the back-fill of each new version over every existing customer. Membership
/// itself lives in <see cref="SegmentShardGrain"/>s, fed directly by customers; this grain only sums or lists them.
/// </summary>
[GrainType("segment")]
public sealed class SegmentGrain : Grain, ISegmentGrain, IRemindable
{
    private const string BackfillReminder = "backfill";
    private readonly IPersistentState<SegmentState> _state;
    private readonly ICustomerDirectory _directory;
    private readonly ISegmentMembershipStore _members;
    private readonly EngineClock _clock;
    private readonly ProfileGrainsOptions _options;
    private readonly ILogger<SegmentGrain> _logger;
    private IGrainTimer? _backfillTimer;

    public SegmentGrain(
        [PersistentState("segment", StorageNames.Segments)] IPersistentState<SegmentState> state,
        ICustomerDirectory directory,
        ISegmentMembershipStore members,
        EngineClock clock,
        IOptions<ProfileGrainsOptions> options,
        ILogger<SegmentGrain> logger)
    {
        _state = state;
        _directory = directory;
        _members = members;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
    }

    private SegmentState State => _state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Backfill is { Status: not BackfillStatus.Done })
        {
            ArmBackfill();
        }

        return Task.CompletedTask;
    }

    public async Task<SegmentInfo> Define(string name, IReadOnlyList<SegmentCondition> conditions, ActivationConsent? requiredConsent)
    {
        var version = Math.Max(State.Definition?.Version ?? 0, State.LastVersion) + 1;
        var definition = new SegmentDefinition(this.GetPrimaryKeyString(), name, conditions, version, requiredConsent);
        State.Definition = definition;
        State.LastVersion = version;
        State.Backfill = new BackfillProgress(version, BackfillStatus.Pending, 0, 0, null, null);
        State.BackfillCursor = null;
        // Acknowledged only once stored, and only then published to every silo.
        await _state.WriteStateAsync();
        State.CatalogVersion = await GrainFactory.GetGrain<ISegmentCatalogGrain>(0).Register(definition);
        await _state.WriteStateAsync();
        // A reminder brings the back-fill back if this silo stops before it finishes.
        await this.RegisterOrUpdateReminder(BackfillReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        ArmBackfill();
        return new SegmentInfo(definition, await Count(), State.Backfill);
    }

    public async Task<SegmentInfo?> Get() =>
        State.Definition is { } definition ? new SegmentInfo(definition, await Count(), State.Backfill!) : null;

    public async Task<bool> Delete()
    {
        if (State.Definition is not { } definition)
        {
            return false;
        }

        await GrainFactory.GetGrain<ISegmentCatalogGrain>(0).Unregister(definition.SegmentId, definition.Version);
        State.Definition = null;
        State.Backfill = null;
        State.BackfillCursor = null;
        await _state.WriteStateAsync();
        _backfillTimer?.Dispose();
        _backfillTimer = null;

        // Rows first: a shard that activates after this must not load the old members again.
        await _members.DeleteSegmentAsync(definition.SegmentId);
        await Task.WhenAll(Shards().Select(shard => shard.Clear()));
        return true;
    }

    public async Task<long> Count() => (await Task.WhenAll(Shards().Select(shard => shard.Count()))).Sum();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Backfill is { Status: not BackfillStatus.Done })
        {
            ArmBackfill();
            return;
        }

        var reminder = await this.GetReminder(reminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private IEnumerable<ISegmentShardGrain> Shards() =>
        Enumerable.Range(0, _options.SegmentShards)
            .Select(shard => GrainFactory.GetGrain<ISegmentShardGrain>(SegmentSharding.ShardKey(this.GetPrimaryKeyString(), shard)));

    private void ArmBackfill() =>
        _backfillTimer ??= this.RegisterGrainTimer(static self => self.BackfillPage(), this, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = TimeSpan.FromMilliseconds(50),
            Interleave = false,
            KeepAlive = true,
        });

    /// <summary>One page of customers per tick, a few at a time: other calls to this segment get their turn between pages.</summary>
    private async Task BackfillPage()
    {
        if (State.Definition is not { } definition || State.Backfill is not { Status: not BackfillStatus.Done } progress)
        {
            _backfillTimer?.Dispose();
            _backfillTimer = null;
            return;
        }

        if (progress.Status == BackfillStatus.Pending)
        {
            progress = progress with { Status = BackfillStatus.Running, Total = await _directory.CountAsync(), StartedAt = _clock.GetUtcNow() };
        }

        try
        {
            var page = await _directory.ListAsync(State.BackfillCursor, _options.BackfillPageSize);
            using var slots = new SemaphoreSlim(_options.BackfillConcurrency);
            await Task.WhenAll(page.Select(async customerId =>
            {
                await slots.WaitAsync();
                try
                {
                    await GrainFactory.GetGrain<ICustomerGrain>(customerId).Reevaluate(definition.SegmentId, State.CatalogVersion);
                }
                finally
                {
                    slots.Release();
                }
            }));

            progress = progress with { Scanned = progress.Scanned + page.Count, Total = Math.Max(progress.Total, progress.Scanned + page.Count) };
            if (page.Count < _options.BackfillPageSize)
            {
                progress = progress with { Status = BackfillStatus.Done, FinishedAt = _clock.GetUtcNow() };
                _logger.LogInformation("Segment {SegmentId} v{Version} back-filled over {Scanned} customers", definition.SegmentId, definition.Version, progress.Scanned);
            }
            else
            {
                State.BackfillCursor = page[^1];
            }
        }
        catch (Exception e)
        {
            // The page is evaluated again on the next tick: re-evaluating a customer twice changes nothing.
            _logger.LogWarning(e, "Back-fill of segment {SegmentId} v{Version} will retry its page", definition.SegmentId, definition.Version);
        }

        State.Backfill = progress;
        await _state.WriteStateAsync();
        if (progress.Status == BackfillStatus.Done)
        {
            _backfillTimer?.Dispose();
            _backfillTimer = null;
        }
    }
}
