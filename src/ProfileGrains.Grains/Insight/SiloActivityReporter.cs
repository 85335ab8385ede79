using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProfileGrains.Abstractions;

namespace ProfileGrains.Grains;

/// <summary>Sends this silo's activity totals to the <see cref="IEngineActivityGrain"/> every <see cref="Interval"/>.</summary>
public sealed class SiloActivityReporter(IGrainFactory grains, EngineMetrics metrics, ILocalSiloDetails silo, ILogger<SiloActivityReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // By endpoint, not generation: a silo restarted on its address replaces its former self at once.
                    await grains.GetGrain<IEngineActivityGrain>(0).Report(silo.SiloAddress.Endpoint.ToString(), metrics.Totals());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The overview misses one report; the next one carries the totals again.
                    logger.LogDebug(e, "Activity report not delivered");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
