using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;

namespace ProfileGrains.Grains;

/// <summary>
/// Keeps the cluster's <see cref="RetentionSweepGrain"/> running: every silo reminds it now and then, so after the silo
/// holding it dies it comes back on another. Off when retention is (<see cref="ProfileGrainsOptions.RetentionInactivity"/> 0).
/// </summary>
public sealed class RetentionSweeper(IGrainFactory grains, IOptions<ProfileGrainsOptions> options, ILogger<RetentionSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan FirstCall = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Reminder = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionInactivity == TimeSpan.Zero)
        {
            return;
        }

        await Task.Delay(FirstCall, stoppingToken);
        using var timer = new PeriodicTimer(Reminder);
        do
        {
            try
            {
                await grains.GetGrain<IRetentionSweepGrain>(0).KeepSweeping();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "The retention sweep could not be reached now; tried again in {Interval}", Reminder);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
