namespace ProfileGrains.Domain;

/// <summary>The named cell of a customer in the RFM grid (see <see cref="CustomerScoring.Segment"/>).</summary>
public enum RfmSegment
{
    /// <summary>Never bought: no RFM cell.</summary>
    None = 0,
    Champions = 1,
    Loyal = 2,
    PotentialLoyalist = 3,
    New = 4,
    Promising = 5,
    NeedAttention = 6,
    AboutToSleep = 7,
    AtRisk = 8,
    CannotLoseThem = 9,
    Hibernating = 10,
    Lost = 11,
}

/// <summary>Where the customer buys: web and app orders are digital, store orders are store.</summary>
public enum ChannelMix
{
    /// <summary>No order in a web, app or store channel (never bought, or only by call centre, email or unspecified).</summary>
    None = 0,

    /// <summary>Only digital orders (web and/or app).</summary>
    WebOnly = 1,

    /// <summary>Only store orders.</summary>
    StoreOnly = 2,

    /// <summary>Both digital and store orders.</summary>
    Omnichannel = 3,
}

/// <summary>
/// Thresholds and parameters of <see cref="CustomerScoring.Compute"/>. Plain settable scalars (no arrays, whose
/// configuration binding appends to the defaults), so the class binds from a configuration section such as
/// <see cref="SectionName"/>. <see cref="Validate"/> rejects inconsistent values with an <see cref="ArgumentException"/>.
/// </summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    // Recency: whole days since the last purchase. ≤ Score5 → 5, ≤ Score4 → 4, ≤ Score3 → 3, ≤ Score2 → 2, else 1.
    public int RecencyDaysScore5 { get; set; } = 30;
    public int RecencyDaysScore4 { get; set; } = 60;
    public int RecencyDaysScore3 { get; set; } = 120;
    public int RecencyDaysScore2 { get; set; } = 240;

    // Frequency: orders in the last 365 days (the Purchase counter's one-year window). The score is the highest n whose
    // threshold is reached (≥), and at least 1 for anyone who ever bought.
    public int FrequencyOrdersScore1 { get; set; } = 1;
    public int FrequencyOrdersScore2 { get; set; } = 2;
    public int FrequencyOrdersScore3 { get; set; } = 4;
    public int FrequencyOrdersScore4 { get; set; } = 8;
    public int FrequencyOrdersScore5 { get; set; } = 15;

    /// <summary>Currency of the monetary score and of historical and expected value. Spend in other currencies is not converted, so it does not count.</summary>
    public string ReportingCurrency { get; set; } = "EUR";

    // Monetary: lifetime spend in the reporting currency. Highest n whose threshold is reached (≥), at least 1 for a buyer.
    public decimal MonetaryScore1 { get; set; } = 50m;
    public decimal MonetaryScore2 { get; set; } = 150m;
    public decimal MonetaryScore3 { get; set; } = 400m;
    public decimal MonetaryScore4 { get; set; } = 1000m;
    public decimal MonetaryScore5 { get; set; } = 2500m;

    /// <summary>Purchase rhythm assumed for a customer with a single order (their own rhythm is unknown).</summary>
    public double DefaultPurchaseIntervalDays { get; set; } = 90;

    /// <summary>Overdue ratio (days since last purchase ÷ rhythm) at which churn risk is 0.5.</summary>
    public double ChurnHalfRiskRatio { get; set; } = 2;

    /// <summary>How sharply churn risk rises around <see cref="ChurnHalfRiskRatio"/> (the exponent of the curve).</summary>
    public double ChurnSteepness { get; set; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> unless every threshold is positive and each list strictly ascending.</summary>
    public void Validate()
    {
        Ascending("Recency day thresholds (score 5, 4, 3, 2)", RecencyDaysScore5, RecencyDaysScore4, RecencyDaysScore3, RecencyDaysScore2);
        Ascending("Frequency order thresholds (score 1..5)", FrequencyOrdersScore1, FrequencyOrdersScore2, FrequencyOrdersScore3, FrequencyOrdersScore4, FrequencyOrdersScore5);
        Ascending("Monetary thresholds (score 1..5)", MonetaryScore1, MonetaryScore2, MonetaryScore3, MonetaryScore4, MonetaryScore5);
        if (string.IsNullOrWhiteSpace(ReportingCurrency))
        {
            throw new ArgumentException("The reporting currency is required.", nameof(ReportingCurrency));
        }

        Positive(nameof(DefaultPurchaseIntervalDays), DefaultPurchaseIntervalDays);
        Positive(nameof(ChurnHalfRiskRatio), ChurnHalfRiskRatio);
        Positive(nameof(ChurnSteepness), ChurnSteepness);
    }

    private static void Positive(string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentException($"{name} must be a positive number, not {value}.", name);
        }
    }

    private static void Ascending(string name, params decimal[] thresholds)
    {
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (thresholds[i] <= 0)
            {
                throw new ArgumentException($"{name} must be positive: {string.Join(", ", thresholds)}.", name);
            }

            if (i > 0 && thresholds[i] <= thresholds[i - 1])
            {
                throw new ArgumentException($"{name} must be strictly ascending: {string.Join(", ", thresholds)}.", name);
            }
        }
    }
}

/// <summary>
/// Online scores of one customer, computed from the profile alone (see <see cref="CustomerScoring.Compute"/>).
/// Recency, Frequency and Monetary are 1–5, or 0 when the customer never bought.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerScores")]
public sealed record CustomerScores(
    [property: Id(0)] int Recency,
    [property: Id(1)] int Frequency,
    [property: Id(2)] int Monetary,
    [property: Id(3)] RfmSegment Segment,
    [property: Id(4)] string Currency,
    [property: Id(5)] decimal HistoricalValue,
    [property: Id(6)] decimal ExpectedValue,
    [property: Id(7)] double ChurnRisk,
    [property: Id(8)] int Engagement,
    [property: Id(9)] ChannelMix ChannelMix,
    [property: Id(10)] int? DaysSinceLastPurchase,
    [property: Id(11)] double? PurchaseIntervalDays);

/// <summary>
/// Pure, per-customer scores: no population scan, no clock (the caller passes <c>now</c>), no currency conversion.
/// </summary>
public static class CustomerScoring
{
    /// <summary>Rhythm floor, so several orders on one day do not make the interval zero.</summary>
    private const double MinimumIntervalDays = 1;

    private const double DaysPerYear = 365;

    /// <summary>Engagement points per event, by type (page views, product views, carts, email opens and clicks).</summary>
    private static readonly (EventType Type, int Weight)[] EngagementWeights =
    [
        (EventType.PageView, 1),
        (EventType.ProductView, 2),
        (EventType.AddToCart, 5),
        (EventType.EmailOpen, 2),
        (EventType.EmailClick, 4),
    ];

    // Recency weights of an event, by age: in the 7-day window ×3, in the 30-day window but older ×2, in the 90-day
    // window but older ×1; anything older counts nothing.
    private const int Weight7Days = 3;
    private const int Weight30Days = 2;
    private const int Weight90Days = 1;
    private const int EngagementCap = 100;

    /// <summary>
    /// Computes every score of <paramref name="profile"/> as of <paramref name="now"/>:
    /// <list type="bullet">
    /// <item>Recency: whole days since the last purchase (never negative) against the recency thresholds.</item>
    /// <item>Frequency: Purchase count in the one-year window against the frequency thresholds, at least 1 for a buyer.</item>
    /// <item>Monetary: lifetime spend in the reporting currency against the monetary thresholds, at least 1 for a buyer.</item>
    /// <item>Segment: the R/F grid of <see cref="Segment"/>.</item>
    /// <item>Historical value: lifetime spend in the reporting currency.</item>
    /// <item>Purchase interval (rhythm): (last − first purchase) ÷ (orders − 1) in days, at least 1 day; null with fewer than two orders.</item>
    /// <item>Churn risk: with r = days since last purchase ÷ rhythm (the default interval for a single order),
    /// risk = r^k ÷ (r^k + h^k), h = <see cref="ScoringOptions.ChurnHalfRiskRatio"/>, k = <see cref="ScoringOptions.ChurnSteepness"/>.
    /// 0 on the day of a purchase, rising monotonically: with the defaults 0.11 when exactly due (r = 1), 0.5 at twice the
    /// rhythm, 0.77 at three times, towards 1. 0 for someone who never bought.</item>
    /// <item>Expected value (next 365 days): average basket in the reporting currency × expected orders, where expected
    /// orders = 365 ÷ rhythm × (1 − churn risk); 0 when the rhythm is unknown (fewer than two orders) or nothing was
    /// spent in the reporting currency. Rounded to 2 decimals.</item>
    /// <item>Engagement: Σ over page views (×1), product views (×2), add-to-carts (×5), email opens (×2) and email clicks
    /// (×4) of 3 × count in 7 days + 2 × count in days 8–30 + 1 × count in days 31–90, capped at 100.</item>
    /// <item>Channel mix: from the per-channel order counts; web and app are digital, store is store, other channels ignored.</item>
    /// </list>
    /// </summary>
    public static CustomerScores Compute(CustomerProfile profile, DateTimeOffset now, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var transactions = profile.Transactions;
        var currency = options.ReportingCurrency.Trim().ToUpperInvariant();
        var spend = transactions.SpendByCurrency.GetValueOrDefault(currency);
        var engagement = Engagement(profile.Counters, now);
        var channelMix = Mix(transactions);

        if (transactions.OrderCount <= 0 || transactions.LastPurchaseAt is not { } last)
        {
            return new CustomerScores(0, 0, 0, RfmSegment.None, currency, spend, 0m, 0, engagement, channelMix, null, null);
        }

        var daysSince = Math.Max(0, (int)Math.Floor((now - last).TotalDays));
        var recency = RecencyScore(daysSince, options);
        var frequency = FrequencyScore(profile.Counters.Count(EventType.Purchase, CounterWindow.OneYear, now), options);
        var monetary = MonetaryScore(spend, options);

        double? interval = null;
        if (transactions.OrderCount >= 2 && transactions.FirstPurchaseAt is { } first)
        {
            interval = Math.Max(MinimumIntervalDays, (last - first).TotalDays / (transactions.OrderCount - 1));
        }

        var churn = ChurnRisk(daysSince, interval ?? options.DefaultPurchaseIntervalDays, options);
        var expected = 0m;
        var ordersInCurrency = transactions.OrdersByCurrency.GetValueOrDefault(currency);
        if (interval is { } rhythm && ordersInCurrency > 0 && spend > 0)
        {
            var averageBasket = spend / ordersInCurrency;
            var expectedOrders = DaysPerYear / rhythm * (1 - churn);
            expected = Math.Round(averageBasket * (decimal)expectedOrders, 2, MidpointRounding.AwayFromZero);
        }

        return new CustomerScores(
            recency,
            frequency,
            monetary,
            Segment(recency, frequency),
            currency,
            spend,
            expected,
            churn,
            engagement,
            channelMix,
            daysSince,
            interval);
    }

    /// <summary>
    /// The usual R/F grid (rows: recency score, columns: frequency score):
    /// <code>
    ///        F=1            F=2                F=3                F=4           F=5
    /// R=5    New            PotentialLoyalist  PotentialLoyalist  Champions     Champions
    /// R=4    Promising      PotentialLoyalist  PotentialLoyalist  Loyal         Loyal
    /// R=3    AboutToSleep   AboutToSleep       NeedAttention      Loyal         Loyal
    /// R=2    Hibernating    Hibernating        AtRisk             AtRisk        CannotLoseThem
    /// R=1    Lost           Hibernating        AtRisk             AtRisk        CannotLoseThem
    /// </code>
    /// Any score outside 1–5 (a customer who never bought) is <see cref="RfmSegment.None"/>.
    /// </summary>
    public static RfmSegment Segment(int recency, int frequency) => (recency, frequency) switch
    {
        ( < 1 or > 5, _) or (_, < 1 or > 5) => RfmSegment.None,
        (5, 1) => RfmSegment.New,
        (5, 2 or 3) => RfmSegment.PotentialLoyalist,
        (5, _) => RfmSegment.Champions,
        (4, 1) => RfmSegment.Promising,
        (4, 2 or 3) => RfmSegment.PotentialLoyalist,
        (4, _) => RfmSegment.Loyal,
        (3, 1 or 2) => RfmSegment.AboutToSleep,
        (3, 3) => RfmSegment.NeedAttention,
        (3, _) => RfmSegment.Loyal,
        (1, 1) => RfmSegment.Lost,
        (_, 1 or 2) => RfmSegment.Hibernating,
        (_, 3 or 4) => RfmSegment.AtRisk,
        _ => RfmSegment.CannotLoseThem,
    };

    private static int RecencyScore(int days, ScoringOptions o) =>
        days <= o.RecencyDaysScore5 ? 5
        : days <= o.RecencyDaysScore4 ? 4
        : days <= o.RecencyDaysScore3 ? 3
        : days <= o.RecencyDaysScore2 ? 2
        : 1;

    private static int FrequencyScore(long orders, ScoringOptions o) =>
        orders >= o.FrequencyOrdersScore5 ? 5
        : orders >= o.FrequencyOrdersScore4 ? 4
        : orders >= o.FrequencyOrdersScore3 ? 3
        : orders >= o.FrequencyOrdersScore2 ? 2
        : 1;

    private static int MonetaryScore(decimal spend, ScoringOptions o) =>
        spend >= o.MonetaryScore5 ? 5
        : spend >= o.MonetaryScore4 ? 4
        : spend >= o.MonetaryScore3 ? 3
        : spend >= o.MonetaryScore2 ? 2
        : 1;

    private static double ChurnRisk(int daysSince, double intervalDays, ScoringOptions o)
    {
        if (daysSince <= 0)
        {
            return 0;
        }

        var ratio = daysSince / intervalDays;
        var rising = Math.Pow(ratio, o.ChurnSteepness);
        var risk = rising / (rising + Math.Pow(o.ChurnHalfRiskRatio, o.ChurnSteepness));
        return double.IsFinite(risk) ? Math.Round(Math.Clamp(risk, 0, 1), 4) : 1;
    }

    private static int Engagement(BehaviourCounters counters, DateTimeOffset now)
    {
        long points = 0;
        foreach (var (type, weight) in EngagementWeights)
        {
            var in7 = counters.Count(type, CounterWindow.SevenDays, now);
            var in30 = counters.Count(type, CounterWindow.ThirtyDays, now);
            var in90 = counters.Count(type, CounterWindow.NinetyDays, now);
            points += weight * ((Weight7Days * in7) + (Weight30Days * (in30 - in7)) + (Weight90Days * (in90 - in30)));
            if (points >= EngagementCap)
            {
                return EngagementCap;
            }
        }

        return (int)Math.Max(0, points);
    }

    private static ChannelMix Mix(TransactionSummary transactions)
    {
        long OrdersIn(Channel channel) => transactions.ByChannel.TryGetValue(channel, out var totals) ? totals.OrderCount : 0;
        var digital = OrdersIn(Channel.Web) + OrdersIn(Channel.App) > 0;
        var store = OrdersIn(Channel.Store) > 0;
        return (digital, store) switch
        {
            (true, true) => ChannelMix.Omnichannel,
            (true, false) => ChannelMix.WebOnly,
            (false, true) => ChannelMix.StoreOnly,
            _ => ChannelMix.None,
        };
    }
}
