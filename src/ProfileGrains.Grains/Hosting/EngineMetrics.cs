using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The engine's own metrics, under the meter <c>ProfileGrains</c> (read with dotnet-counters, or any exporter of
/// System.Diagnostics.Metrics). Made by the host's meter factory, so each engine in a process counts on its own.
/// </summary>
public sealed class EngineMetrics
{
    public const string MeterName = "ProfileGrains";

    public EngineMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        RetentionErasures = meter.CreateCounter<long>(
            "profilegrains.retention.erased",
            unit: "{customer}",
            description: "Customers erased by retention after the configured period of inactivity (records merged into them included)");
        CampaignEvents = meter.CreateCounter<long>(
            "profilegrains.campaign.events",
            unit: "{event}",
            description: "Campaign indicators as they grow, tagged by campaign and step (sent, delivered, bounced: each message; opened, clicked, unsubscribed, converted: each customer once)");
        RejectedInput = meter.CreateCounter<long>(
            "profilegrains.input.rejected",
            unit: "{request}",
            description: "Requests refused as malformed (INVALID_ARGUMENT), tagged by the API key that sent them (source) and the RPC");

        EventsIngested = meter.CreateCounter<long>("profilegrains.events.ingested", unit: "{event}", description: "Events counted for a customer (retries and duplicates excluded), tagged by type");
        Merges = meter.CreateCounter<long>("profilegrains.merges", unit: "{merge}", description: "Customer records merged into another");
        Quarantines = meter.CreateCounter<long>("profilegrains.identifiers.quarantined", unit: "{identifier}", description: "Identifiers refused a merge by the velocity guard (quarantined)");
        SegmentTransitions = meter.CreateCounter<long>("profilegrains.segment.transitions", unit: "{transition}", description: "Customers entering or leaving a segment (direction: enter, exit)");
        StorageBatchSize = meter.CreateHistogram(
            "profilegrains.storage.batch.size",
            unit: "{write}",
            description: "Writes committed together by one group commit (store: journal, identity, segment membership)",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });

        // Without advice an exporter's default buckets (0 to 10,000 in the instrument's unit) put every commit, which
        // takes milliseconds, in the first bucket of seconds.
        StorageCommitDuration = meter.CreateHistogram(
            "profilegrains.storage.commit.duration",
            unit: "s",
            description: "How long one group commit took in PostgreSQL (store: journal, identity, segment membership)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. CommitLatencies.BucketUpperMs.Where(double.IsFinite).Select(ms => ms / 1000)] });
        meter.CreateObservableGauge("profilegrains.customers.resident", () => Interlocked.Read(ref _residentCustomers), unit: "{customer}", description: "Customers in memory on this silo");
        meter.CreateObservableGauge(
            "profilegrains.customers.heap_per_resident",
            () => Interlocked.Read(ref _residentCustomers) is > 0 and var resident ? GC.GetGCMemoryInfo().HeapSizeBytes / resident : 0,
            unit: "By",
            description: "Managed heap after the last collection divided by the customers in memory: an upper bound of a customer's cost");
    }

    private readonly ConcurrentDictionary<string, CommitLatencies> _commits = new(StringComparer.Ordinal);
    private long _residentCustomers;
    private long _eventsIngested;
    private long _merges;
    private long _quarantines;

    /// <summary>This silo's totals since it started, as the insight console's overview adds them up across silos.</summary>
    public SiloActivity Totals() => new(
        Interlocked.Read(ref _eventsIngested), Interlocked.Read(ref _merges), Interlocked.Read(ref _quarantines), Interlocked.Read(ref _residentCustomers));

    public void CountMerge()
    {
        Interlocked.Increment(ref _merges);
        Merges.Add(1);
    }

    public void CountQuarantine()
    {
        Interlocked.Increment(ref _quarantines);
        Quarantines.Add(1);
    }

    public Counter<long> RetentionErasures { get; }

    public Counter<long> EventsIngested { get; }

    public Counter<long> Merges { get; }

    public Counter<long> Quarantines { get; }

    public Counter<long> SegmentTransitions { get; }

    public Histogram<int> StorageBatchSize { get; }

    public Histogram<double> StorageCommitDuration { get; }

    /// <summary>This silo's group commits since it started, per store (journal, identity, segment membership).</summary>
    public IReadOnlyList<(string Store, CommitTotals Totals)> CommitTotals() => [.. _commits.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value.Totals()))];

    public void CustomerActivated() => Interlocked.Increment(ref _residentCustomers);

    public void CustomerDeactivated() => Interlocked.Decrement(ref _residentCustomers);

    public void CountEvent(EventType type)
    {
        Interlocked.Increment(ref _eventsIngested);
        if (EventsIngested.Enabled)
        {
            EventsIngested.Add(1, new KeyValuePair<string, object?>("type", EventTypeNames[(int)type]));
        }
    }

    public void CountTransitions(int entered, int exited)
    {
        if (entered > 0)
        {
            SegmentTransitions.Add(entered, new KeyValuePair<string, object?>("direction", "enter"));
        }

        if (exited > 0)
        {
            SegmentTransitions.Add(exited, new KeyValuePair<string, object?>("direction", "exit"));
        }
    }

    public void CountCommit(string store, int writes, TimeSpan took)
    {
        _commits.GetOrAdd(store, static _ => new CommitLatencies()).Record(writes, took);
        var tag = new KeyValuePair<string, object?>("store", store);
        StorageBatchSize.Record(writes, tag);
        StorageCommitDuration.Record(took.TotalSeconds, tag);
    }

    private static readonly string[] EventTypeNames =
        [.. Enumerable.Range(0, Enum.GetValues<EventType>().Max(t => (int)t) + 1).Select(t => Enum.IsDefined((EventType)t) ? ((EventType)t).ToString() : "unknown")];

    public Counter<long> RejectedInput { get; }

    public void CountRejectedInput(string source, string rpc) =>
        RejectedInput.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("rpc", rpc));

    public Counter<long> CampaignEvents { get; }

    public void CountCampaignTally(CampaignTally tally)
    {
        foreach (var step in Steps)
        {
            if (step != CampaignReach.None && ((tally.Messages | tally.Unique) & step) != 0)
            {
                CampaignEvents.Add(1, new KeyValuePair<string, object?>("campaign", tally.Campaign), new KeyValuePair<string, object?>("step", StepName(step)));
            }
        }
    }

    private static readonly CampaignReach[] Steps = Enum.GetValues<CampaignReach>();

    private static string StepName(CampaignReach step) => step.ToString().ToLowerInvariant();
}
