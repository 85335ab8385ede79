namespace ProfileGrains.Domain;

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
