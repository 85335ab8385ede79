using Microsoft.Extensions.Logging;

namespace ProfileGrains.Grains;

/// <summary>
/// Segments that change with time alone ("no purchase for 90 days"). While the customer is in memory, a one-shot timer
/// re-checks them now and then, armed only after a change and never keeping the customer in memory: a million
/// resident customers must not mean a million ticking timers. A check before the first instant at which time could
/// change a membership evaluates nothing (<see cref="CustomerSegments.ChangedWithTime"/>). When the customer leaves memory, what changed while it
/// sat idle is settled and the next transition is handed to a wake-up grain, so it happens on time out of memory too.
/// </summary>
internal sealed class TimeDrivenMembership(
    IGrainBase grain,
    TimeSpan residentInterval,
    DurableProfile profile,
    CustomerSegments segments,
    ITimeDrivenChanges changed,
    EngineClock clock,
    ILogger logger)
{
    private IGrainTimer? _timer;

    public void Arm()
    {
        if (!segments.AnyDependOnTime || !profile.IsLive)
        {
            return;
        }

        _timer ??= grain.RegisterGrainTimer(static self => self.CheckAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = residentInterval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
    }

    /// <summary>Settles what changed with time, then schedules the next transition with a wake-up grain; never fails the deactivation.</summary>
    public async Task HandOverAsync()
    {
        try
        {
            var now = clock.GetUtcNow();
            if (segments.ChangedWithTime(profile.Value, now))
            {
                await changed.ChangedWithTime(now);
            }

            if (await segments.HandOverToWakeup(profile.Value, now))
            {
                profile.MarkDirty();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Time-driven segment transitions of customer {CustomerId} could not be scheduled", grain.GrainContext.GrainId);
        }
    }

    private Task CheckAsync()
    {
        _timer?.Dispose();
        _timer = null;
        var now = clock.GetUtcNow();
        if (profile.IsLive && segments.ChangedWithTime(profile.Value, now))
        {
            return changed.ChangedWithTime(now);
        }

        Arm();
        return Task.CompletedTask;
    }
}

/// <summary>What the customer does when time alone changed its segments: records and publishes the change.</summary>
internal interface ITimeDrivenChanges
{
    Task ChangedWithTime(DateTimeOffset now);
}
