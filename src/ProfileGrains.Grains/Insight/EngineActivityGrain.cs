using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The silos' latest activity reports, added up. A silo that stops reporting is dropped after <see cref="SiloTimeout"/>;
/// the event rate is measured over the sums seen in the last <see cref="RateWindow"/>.
/// </summary>
[GrainType("engine-activity")]
public sealed class EngineActivityGrain(EngineClock clock) : Grain, IEngineActivityGrain
{
    public static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, (SiloActivity Activity, DateTimeOffset At)> _silos = [];
    private readonly CountRate _events = new(RateWindow);

    public Task Report(string silo, SiloActivity activity)
    {
        var now = clock.GetUtcNow();
        // A silo joining adds its whole past to the sum, one restarting drops it: neither is events of the last seconds.
        if (!_silos.TryGetValue(silo, out var previous) || activity.EventsIngested < previous.Activity.EventsIngested)
        {
            _events.Reset();
        }

        _silos[silo] = (activity, now);
        foreach (var (name, (_, at)) in _silos)
        {
            if (now - at > SiloTimeout)
            {
                _silos.Remove(name);
                _events.Reset();
            }
        }

        _events.Record(now, Sum().EventsIngested);
        return Task.CompletedTask;
    }

    public Task<ClusterActivity> Get() => Task.FromResult(new ClusterActivity(Sum(), _events.PerSecond, _silos.Count));

    private SiloActivity Sum()
    {
        long events = 0, merges = 0, quarantines = 0, resident = 0;
        foreach (var (activity, _) in _silos.Values)
        {
            events += activity.EventsIngested;
            merges += activity.Merges;
            quarantines += activity.Quarantines;
            resident += activity.ResidentCustomers;
        }

        return new SiloActivity(events, merges, quarantines, resident);
    }
}
