using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// This silo's copy of every segment definition, so customer grains evaluate segments in memory on each change
/// instead of calling the catalog grain. Refreshed every <see cref="ProfileGrainsOptions.SegmentRefreshInterval"/>;
/// <see cref="RefreshAsync"/> pulls at once (the gateway calls it after a definition changes through this silo).
/// </summary>
public sealed class SegmentRulesCache(
    IGrainFactory grainFactory,
    IOptions<ProfileGrainsOptions> options,
    ScoringOptions scoring,
    ContactPolicyOptions contactPolicy,
    ILogger<SegmentRulesCache> logger) : BackgroundService
{
    private volatile SegmentCatalogSnapshot _current = new(-1, [], []);
    private volatile HashSet<string> _deleted = new(StringComparer.Ordinal);
    private volatile SegmentIndex _index = new([]);

    public IReadOnlyList<SegmentDefinition> Definitions => _current.Definitions;

    /// <summary>The definitions indexed by what they read, for re-evaluating only what a change can affect.</summary>
    public SegmentIndex Index => _index;

    public long Version => _current.Version;

    /// <summary>Deleted and not defined again, as far as this silo knows (a segment it has not heard of is not deleted).</summary>
    public bool IsDeleted(string segmentId) => _deleted.Contains(segmentId);

    public async Task RefreshAsync()
    {
        var newer = await grainFactory.GetGrain<ISegmentCatalogGrain>(0).GetIfNewer(_current.Version);
        if (newer is not null && newer.Version > _current.Version)
        {
            // Rules are compiled here, once per version and silo, with this engine's scoring options.
            foreach (var expression in newer.Definitions.SelectMany(d => d.Conditions).OfType<ExpressionCondition>())
            {
                expression.CompileWith(scoring);
            }

            // Consent requirements read silence by this engine's contact policy table, as CanContact does.
            var bound = newer with { Definitions = [.. newer.Definitions.Select(d => d.RequiredConsent is { } consent ? d with { RequiredConsent = consent.BoundTo(contactPolicy) } : d)] };
            var index = new SegmentIndex(bound.Definitions);
            var deleted = new HashSet<string>(newer.Deleted, StringComparer.Ordinal);

            // The timer and the gateway refresh concurrently: a slower refresh holding an older version must not
            // replace a newer one published meanwhile, or customers would evaluate an old rule until the next refresh.
            lock (_publishing)
            {
                if (bound.Version > _current.Version)
                {
                    _index = index;
                    _deleted = deleted;
                    _current = bound;
                }
            }
        }
    }

    private readonly Lock _publishing = new();

    // Probes (segments being written in the console) prepared on this silo, by their definition: a probe sent to a
    // customer on another silo arrives without its compiled rule and bound consent, which are not serialized.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SegmentDefinition> _probes = new(StringComparer.Ordinal);
    private const int MaxProbes = 256;

    /// <summary>
    /// A definition that is not (yet) a segment, evaluated as this silo evaluates segments: its rules compiled with the
    /// engine's scoring options and its consent read by the engine's contact policy. Prepared once per silo and definition.
    /// </summary>
    public SegmentDefinition Prepare(SegmentDefinition probe)
    {
        var key = ProbeKey(probe);
        if (_probes.TryGetValue(key, out var prepared))
        {
            return prepared;
        }

        if (_probes.Count >= MaxProbes)
        {
            _probes.Clear();
        }

        var conditions = probe.Conditions.Select(c => c is ExpressionCondition e ? new ExpressionCondition(e.Expression) : c).ToList();
        foreach (var expression in conditions.OfType<ExpressionCondition>())
        {
            expression.CompileWith(scoring);
        }

        prepared = probe with { Conditions = conditions, RequiredConsent = probe.RequiredConsent?.BoundTo(contactPolicy) };
        return _probes.GetOrAdd(key, prepared);
    }

    // What a probe says, as text: its list of conditions compares by reference, and an expression's ToString compiles it.
    private static string ProbeKey(SegmentDefinition probe) =>
        string.Join('\n', probe.Conditions.Select(c => c is ExpressionCondition e ? $"rule:{e.Expression}" : c.ToString()))
        + $"\nconsent:{probe.RequiredConsent?.Channel}/{probe.RequiredConsent?.Purpose}/{probe.RequiredConsent?.PurposeName}";

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
                logger.LogWarning(e, "Segment definitions could not be refreshed; evaluating with version {Version}", _current.Version);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
