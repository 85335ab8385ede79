using System.Diagnostics.Metrics;
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
    }

    public Counter<long> RetentionErasures { get; }

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
