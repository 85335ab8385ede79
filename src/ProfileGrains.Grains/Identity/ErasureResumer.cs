using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProfileGrains.Grains;

/// <summary>
/// Finishes erasures whose silo died in the middle: every silo looks for requests begun more than one interval ago and
/// not completed, and runs their remaining steps (idempotent, so two silos doing it at once do no harm).
/// </summary>
public sealed class ErasureResumer(IErasureLedger ledger, ErasureCoordinator coordinator, EngineClock clock, IOptions<ProfileGrainsOptions> options, ILogger<ErasureResumer> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ErasureResumeInterval;
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var intent in await ledger.PendingAsync(clock.GetUtcNow() - interval, Batch))
                {
                    await coordinator.Finish(intent);
                    logger.LogInformation("Finished an interrupted erasure ({Records} records)", intent.Records.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Interrupted erasures could not be finished now; they are tried again after {Interval}", interval);
            }
        }
    }
}
