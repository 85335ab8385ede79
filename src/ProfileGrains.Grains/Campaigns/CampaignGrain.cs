using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// One campaign's indicators. Each tally a customer sends is counted in memory at once and written to storage at most
/// every <see cref="ProfileGrainsOptions.StateFlushInterval"/> and on deactivation: a campaign's events come in
/// bursts (a send to a whole segment), and one write per event would make the campaign the bottleneck of its own send.
/// A silo that dies loses at most that interval of counts.
/// </summary>
[GrainType("campaign")]
public sealed class CampaignGrain(
    [PersistentState("campaign", StorageNames.Segments)] IPersistentState<CampaignState> state,
    IOptions<ProfileGrainsOptions> options,
    EngineClock clock,
    EngineMetrics metrics) : Grain, ICampaignGrain
{
    private IGrainTimer? _flush;

    public async Task Record(CampaignTally tally)
    {
        if (!state.State.Registered)
        {
            await GrainFactory.GetGrain<ICampaignDirectoryGrain>(0).Register(this.GetPrimaryKeyString());
            state.State.Registered = true;
        }

        state.State.Indicators.Add(tally, clock.GetUtcNow());
        metrics.CountCampaignTally(tally);
        _flush ??= this.RegisterGrainTimer(static self => self.FlushAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = options.Value.StateFlushInterval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
    }

    public Task<CampaignView?> Get() =>
        Task.FromResult(state.State.Indicators.FirstEventAt is null ? null : state.State.Indicators.View(this.GetPrimaryKeyString()));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_flush is not null)
        {
            await FlushAsync();
        }
    }

    private async Task FlushAsync()
    {
        _flush?.Dispose();
        _flush = null;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("pg.CampaignState")]
public sealed class CampaignState
{
    [Id(0)] public CampaignIndicators Indicators { get; set; } = new();

    [Id(1)] public bool Registered { get; set; }
}
