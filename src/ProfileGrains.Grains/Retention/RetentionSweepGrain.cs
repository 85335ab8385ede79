using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;

namespace ProfileGrains.Grains;

/// <summary>
/// Retention: one activation in the cluster walks the customer directory, one page per tick, and has every customer
/// quiet since before the cut-off erased (<see cref="ErasureCoordinator.EraseInactive"/>: each customer decides on its
/// own activity, at the moment it is asked). A sweep starts every <see cref="ProfileGrainsOptions.RetentionSweepInterval"/>.
/// Where a sweep has got to is kept in memory only: one cut short by a restart starts over, which costs checks, never a
/// wrong erasure. Nothing calls back into this grain, so it may wait on customers and the coordinator.
/// </summary>
[GrainType("retention-sweep")]
public sealed class RetentionSweepGrain(
    ICustomerDirectory directory,
    ErasureCoordinator erasures,
    EngineClock clock,
    EngineMetrics metrics,
    IOptions<ProfileGrainsOptions> options,
    ILogger<RetentionSweepGrain> logger) : Grain, IRetentionSweepGrain
{
    private readonly ProfileGrainsOptions _options = options.Value;
    private IGrainTimer? _timer;
    private Sweep? _sweep;
    private DateTimeOffset? _lastStarted;

    public Task KeepSweeping()
    {
        _timer ??= this.RegisterGrainTimer(static self => self.Tick(), this, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _options.RetentionTickInterval,
            Interleave = false,
            KeepAlive = true,
        });
        return Task.CompletedTask;
    }

    private async Task Tick()
    {
        var now = clock.GetUtcNow();
        if (_sweep is null)
        {
            if (_lastStarted is { } last && now - last < _options.RetentionSweepInterval)
            {
                return;
            }

            _lastStarted = now;
            _sweep = new Sweep(now - _options.RetentionInactivity);
        }

        var page = await directory.ListAsync(_sweep.After, _options.BackfillPageSize);
        foreach (var customerId in page)
        {
            await EraseIfQuiet(customerId, _sweep);
        }

        _sweep.Checked += page.Count;
        _sweep.After = page.Count > 0 ? page[^1] : _sweep.After;
        if (page.Count < _options.BackfillPageSize)
        {
            logger.LogInformation(
                "Retention sweep done: {Checked} customers checked, {Erased} records erased, quiet since before {Cutoff:u}",
                _sweep.Checked,
                _sweep.Erased,
                _sweep.QuietSince);
            _sweep = null;
        }
    }

    private async Task EraseIfQuiet(string customerId, Sweep sweep)
    {
        try
        {
            if (await erasures.EraseInactive(customerId, sweep.QuietSince) is { } erased)
            {
                sweep.Erased += erased.Records;
                metrics.RetentionErasures.Add(erased.Records);
            }
        }
        catch (CustomerErasedException)
        {
            // Erased since the page was listed.
        }
        catch (Exception e) when (e is StorageUnavailableException or TimeoutException)
        {
            // Unavailable now: the next sweep asks again.
            logger.LogWarning(e, "Retention could not check a customer now; the next sweep asks again");
        }
    }

    private sealed class Sweep(DateTimeOffset quietSince)
    {
        public DateTimeOffset QuietSince { get; } = quietSince;

        public string? After { get; set; }

        public int Checked { get; set; }

        public int Erased { get; set; }
    }
}
