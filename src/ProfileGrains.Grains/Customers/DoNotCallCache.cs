using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// This silo's copy of the do-not-call list, so CanContact checks phone numbers in memory; refreshed every
/// <see cref="ProfileGrainsOptions.SegmentRefreshInterval"/>, and at once after a load through this silo.
/// </summary>
public sealed class DoNotCallCache(IGrainFactory grainFactory, IOptions<ProfileGrainsOptions> options, ILogger<DoNotCallCache> logger) : BackgroundService
{
    private volatile DoNotCallList _current = DoNotCallList.Empty;

    public DoNotCallList Current => _current;

    public async Task RefreshAsync()
    {
        if (await grainFactory.GetGrain<IDoNotCallListGrain>(0).GetIfNewer(_current.Version) is { } newer && newer.Version > _current.Version)
        {
            _current = newer;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SegmentRefreshInterval);
        do
        {
            try
            {
                await RefreshAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "The do-not-call list could not be refreshed; checking against version {Version}", _current.Version);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
