namespace ProfileGrains.Domain;

/// <summary>Adds customers' insights up into the figures of the customer base (<see cref="CustomerBaseFigures"/>).</summary>
public sealed class CustomerBaseTally
{
    /// <summary>Churn risk below this is low, from <see cref="HighChurnRisk"/> it is high, medium between.</summary>
    public const double MediumChurnRisk = 0.3;

    public const double HighChurnRisk = 0.7;

    private readonly long[,] _rfmGrid = new long[6, 6];
    private readonly Dictionary<RfmSegment, long> _segments = [];
    private readonly Dictionary<string, long> _valueTiers = [];
    private readonly Dictionary<string, long> _churnRisk = [];
    private readonly Dictionary<ChannelMix, long> _channelMix = [];
    private readonly long[,] _consents = new long[CustomerInsight.ConsentCells.Count, 4];
    private long _sampled;
    private long _matched;

    public void Add(CustomerInsight insight)
    {
        ArgumentNullException.ThrowIfNull(insight);
        _sampled++;
        if (insight.MatchesProbe == true)
        {
            _matched++;
        }

        _rfmGrid[Math.Clamp(insight.Recency, 0, 5), Math.Clamp(insight.Frequency, 0, 5)]++;
        Increment(_segments, insight.Segment);
        Increment(_valueTiers, CustomerScores.TierOf(insight.Monetary));
        Increment(_churnRisk, insight.Frequency == 0 ? "never bought" : ChurnBand(insight.ChurnRisk));
        Increment(_channelMix, insight.ChannelMix);
        for (var i = 0; i < insight.Consents.Count && i < CustomerInsight.ConsentCells.Count; i++)
        {
            _consents[i, (int)insight.Consents[i]]++;
        }
    }

    /// <param name="customers">Every customer there is (the sample's population).</param>
    public CustomerBaseFigures Figures(long customers)
    {
        var grid = new List<RfmCell>();
        for (var recency = 1; recency <= 5; recency++)
        {
            for (var frequency = 1; frequency <= 5; frequency++)
            {
                grid.Add(new RfmCell(recency, frequency, _rfmGrid[recency, frequency]));
            }
        }

        var coverage = new List<ConsentCoverage>(CustomerInsight.ConsentCells.Count);
        for (var i = 0; i < CustomerInsight.ConsentCells.Count; i++)
        {
            var (channel, purpose) = CustomerInsight.ConsentCells[i];
            coverage.Add(new ConsentCoverage(
                channel,
                purpose,
                Granted: _consents[i, (int)ConsentStatus.Granted],
                Refused: _consents[i, (int)ConsentStatus.Denied] + _consents[i, (int)ConsentStatus.Withdrawn],
                Unknown: _consents[i, (int)ConsentStatus.Unknown]));
        }

        return new CustomerBaseFigures(
            customers,
            _sampled,
            _matched,
            grid,
            [.. Enum.GetValues<RfmSegment>().Select(s => new Tally(s.ToString(), _segments.GetValueOrDefault(s)))],
            [.. ValueTiers.Select(t => new Tally(t, _valueTiers.GetValueOrDefault(t)))],
            [.. ChurnBands.Select(b => new Tally(b, _churnRisk.GetValueOrDefault(b)))],
            [.. Enum.GetValues<ChannelMix>().Select(m => new Tally(m.ToString(), _channelMix.GetValueOrDefault(m)))],
            coverage);
    }

    private static readonly string[] ValueTiers = ["top", "high", "medium", "low", "none"];

    private static readonly string[] ChurnBands = ["low", "medium", "high", "never bought"];

    private static string ChurnBand(double risk) => risk >= HighChurnRisk ? "high" : risk >= MediumChurnRisk ? "medium" : "low";

    private static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key)
        where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
