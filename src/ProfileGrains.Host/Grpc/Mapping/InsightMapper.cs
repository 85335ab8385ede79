using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

internal static class InsightMapper
{
    public static Api.CustomerBase CustomerBase(CustomerBaseView view)
    {
        var f = view.Figures;
        return new Api.CustomerBase
        {
            Customers = f.Customers,
            Sampled = f.Sampled,
            Exact = f.Exact,
            Activity = Activity(view.Activity),
            RfmGrid = { f.RfmGrid.Select(c => new Api.RfmGridCell { Recency = c.Recency, Frequency = c.Frequency, Customers = c.Customers }) },
            RfmSegments = { Counts(f.RfmSegments) },
            ValueTiers = { Counts(f.ValueTiers) },
            ChurnRisk = { Counts(f.ChurnRisk) },
            ChannelMix = { Counts(f.ChannelMix) },
            ConsentCoverage =
            {
                f.Consents.Select(c => new Api.ConsentCoverage
                {
                    Channel = c.Channel.ToProto(),
                    Purpose = c.Purpose.ToProto(),
                    Granted = c.Granted,
                    Refused = c.Refused,
                    Unknown = c.Unknown,
                }),
            },
        };
    }

    public static Api.SegmentEstimate Estimate(CustomerBaseFigures f) => new()
    {
        Customers = f.Customers,
        Sampled = f.Sampled,
        Matched = f.MatchedProbe,
        EstimatedMembers = f.EstimatedMatches,
        Exact = f.Exact,
    };

    private static Api.EngineActivity Activity(ClusterActivity a) => new()
    {
        EventsIngested = a.Totals.EventsIngested,
        Merges = a.Totals.Merges,
        IdentifiersQuarantined = a.Totals.Quarantines,
        ResidentCustomers = a.Totals.ResidentCustomers,
        EventsPerSecond = a.EventsPerSecond,
        Silos = a.Silos,
    };

    private static IEnumerable<Api.LabelledCount> Counts(IEnumerable<Tally> tallies) =>
        tallies.Select(t => new Api.LabelledCount { Label = t.Label, Customers = t.Customers });
}
