using System.Globalization;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class ScoresTests
{
    private static readonly ScoringOptions Defaults = new();

    private int _sequence;

    private CustomerProfile Buyer(DateTimeOffset applyAt, params (DateTimeOffset At, Money Total, Channel Channel)[] orders)
    {
        var profile = NewProfile(createdAt: applyAt.AddDays(-1000));
        foreach (var (at, total, channel) in orders)
        {
            var n = ++_sequence;
            Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase($"evt-{n}", $"ord-{n}", total, at, channel), applyAt));
        }

        return profile;
    }

    /// <summary>One EUR order per day on consecutive days, the latest <paramref name="latestDaysAgo"/> days before <see cref="TestData.Now"/>.</summary>
    private CustomerProfile DailyBuyer(int latestDaysAgo, int orders, decimal amount = 10m) =>
        Buyer(Now, [.. Enumerable.Range(0, orders).Select(i => (Now.AddDays(-(latestDaysAgo + i)), Eur(amount), Channel.Web))]);

    private CustomerProfile WithEvents(params (EventType Type, DateTimeOffset At)[] events)
    {
        var profile = NewProfile(createdAt: Now.AddDays(-1000));
        foreach (var (type, at) in events)
        {
            profile.Apply(Event($"evt-{++_sequence}", type, ValidPayload(type), at), Now);
        }

        return profile;
    }

    private static decimal Dec(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    // ----- Recency -----

    [Theory]
    [InlineData(0, 5)]
    [InlineData(30, 5)]
    [InlineData(31, 4)]
    [InlineData(60, 4)]
    [InlineData(61, 3)]
    [InlineData(120, 3)]
    [InlineData(121, 2)]
    [InlineData(240, 2)]
    [InlineData(241, 1)]
    [InlineData(1000, 1)]
    public void Recency_scores_whole_days_since_the_last_purchase_against_the_thresholds(int daysAgo, int expected)
    {
        var scores = CustomerScoring.Compute(DailyBuyer(daysAgo, 1), Now, Defaults);

        Assert.Equal(expected, scores.Recency);
        Assert.Equal(daysAgo, scores.DaysSinceLastPurchase);
    }

    [Fact]
    public void Recency_counts_whole_days_so_30_days_and_23_hours_is_still_30()
    {
        var profile = Buyer(Now, (Now.AddDays(-30).AddHours(-23), Eur(10), Channel.Web));

        var scores = CustomerScoring.Compute(profile, Now, Defaults);

        Assert.Equal(30, scores.DaysSinceLastPurchase);
        Assert.Equal(5, scores.Recency);
    }

    [Fact]
    public void A_purchase_dated_after_now_counts_as_today()
    {
        var profile = Buyer(Now, (Now.AddHours(2), Eur(10), Channel.Web));

        var scores = CustomerScoring.Compute(profile, Now, Defaults);

        Assert.Equal(0, scores.DaysSinceLastPurchase);
        Assert.Equal(5, scores.Recency);
        Assert.Equal(0, scores.ChurnRisk);
    }

    [Fact]
    public void Recency_thresholds_are_configurable()
    {
        var options = new ScoringOptions { RecencyDaysScore5 = 7, RecencyDaysScore4 = 14, RecencyDaysScore3 = 21, RecencyDaysScore2 = 28 };

        Assert.Equal(5, CustomerScoring.Compute(DailyBuyer(7, 1), Now, options).Recency);
        Assert.Equal(4, CustomerScoring.Compute(DailyBuyer(8, 1), Now, options).Recency);
        Assert.Equal(2, CustomerScoring.Compute(DailyBuyer(28, 1), Now, options).Recency);
        Assert.Equal(1, CustomerScoring.Compute(DailyBuyer(29, 1), Now, options).Recency);
    }

    // ----- Frequency -----

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(7, 3)]
    [InlineData(8, 4)]
    [InlineData(14, 4)]
    [InlineData(15, 5)]
    [InlineData(40, 5)]
    public void Frequency_scores_orders_of_the_last_365_days_against_the_thresholds(int orders, int expected)
    {
        var scores = CustomerScoring.Compute(DailyBuyer(0, orders), Now, Defaults);

        Assert.Equal(expected, scores.Frequency);
    }

    [Fact]
    public void Frequency_ignores_orders_older_than_a_year_but_a_buyer_scores_at_least_1()
    {
        var scores = CustomerScoring.Compute(DailyBuyer(400, 20), Now, Defaults);

        Assert.Equal(1, scores.Frequency);
        Assert.Equal(1, scores.Recency);
    }

    [Fact]
    public void Frequency_counts_only_the_orders_inside_the_one_year_window()
    {
        // 20 daily orders, the latest 355 days ago: days 355..364 are inside the window (10 orders), 365..374 are not.
        var scores = CustomerScoring.Compute(DailyBuyer(355, 20), Now, Defaults);

        Assert.Equal(4, scores.Frequency);
    }

    // ----- Monetary -----

    [Theory]
    [InlineData("10", 1)]
    [InlineData("49.99", 1)]
    [InlineData("50", 1)]
    [InlineData("149.99", 1)]
    [InlineData("150", 2)]
    [InlineData("399.99", 2)]
    [InlineData("400", 3)]
    [InlineData("999.99", 3)]
    [InlineData("1000", 4)]
    [InlineData("2499.99", 4)]
    [InlineData("2500", 5)]
    [InlineData("100000", 5)]
    public void Monetary_scores_lifetime_spend_in_the_reporting_currency_against_the_thresholds(string amount, int expected)
    {
        var scores = CustomerScoring.Compute(DailyBuyer(0, 1, Dec(amount)), Now, Defaults);

        Assert.Equal(expected, scores.Monetary);
        Assert.Equal(Dec(amount), scores.HistoricalValue);
        Assert.Equal("EUR", scores.Currency);
    }

    [Fact]
    public void Monetary_adds_every_order_of_the_lifetime()
    {
        // Two orders of 200, one of them older than the frequency year: lifetime spend 400.
        var profile = Buyer(Now, (Now.AddDays(-500), Eur(200), Channel.Web), (Now.AddDays(-1), Eur(200), Channel.Web));

        var scores = CustomerScoring.Compute(profile, Now, Defaults);

        Assert.Equal(400m, scores.HistoricalValue);
        Assert.Equal(3, scores.Monetary);
    }

    [Fact]
    public void Spend_in_another_currency_is_not_converted()
    {
        var profile = Buyer(Now, (Now.AddDays(-1), Gbp(5000), Channel.Web), (Now, Eur(60), Channel.Web));

        var eur = CustomerScoring.Compute(profile, Now, Defaults);
        var gbp = CustomerScoring.Compute(profile, Now, new ScoringOptions { ReportingCurrency = "gbp" });

        Assert.Equal(60m, eur.HistoricalValue);
        Assert.Equal(1, eur.Monetary);
        Assert.Equal("GBP", gbp.Currency);
        Assert.Equal(5000m, gbp.HistoricalValue);
        Assert.Equal(5, gbp.Monetary);
    }

    [Fact]
    public void A_buyer_only_in_another_currency_still_scores_monetary_1_with_zero_value()
    {
        var scores = CustomerScoring.Compute(Buyer(Now, (Now, Gbp(5000), Channel.Web)), Now, Defaults);

        Assert.Equal(1, scores.Monetary);
        Assert.Equal(0m, scores.HistoricalValue);
        Assert.Equal(0m, scores.ExpectedValue);
    }

    // ----- RFM cells -----

    [Theory]
    [InlineData(0, 15, RfmSegment.Champions)]
    [InlineData(30, 8, RfmSegment.Champions)]
    [InlineData(45, 8, RfmSegment.Loyal)]
    [InlineData(100, 15, RfmSegment.Loyal)]
    [InlineData(10, 2, RfmSegment.PotentialLoyalist)]
    [InlineData(50, 4, RfmSegment.PotentialLoyalist)]
    [InlineData(5, 1, RfmSegment.New)]
    [InlineData(45, 1, RfmSegment.Promising)]
    [InlineData(90, 4, RfmSegment.NeedAttention)]
    [InlineData(90, 1, RfmSegment.AboutToSleep)]
    [InlineData(90, 2, RfmSegment.AboutToSleep)]
    [InlineData(200, 4, RfmSegment.AtRisk)]
    [InlineData(300, 8, RfmSegment.AtRisk)]
    [InlineData(241, 15, RfmSegment.CannotLoseThem)]
    [InlineData(150, 15, RfmSegment.CannotLoseThem)]
    [InlineData(200, 1, RfmSegment.Hibernating)]
    [InlineData(300, 2, RfmSegment.Hibernating)]
    [InlineData(300, 1, RfmSegment.Lost)]
    public void Every_named_rfm_cell_is_reachable_from_a_real_profile(int latestDaysAgo, int orders, RfmSegment expected)
    {
        var scores = CustomerScoring.Compute(DailyBuyer(latestDaysAgo, orders), Now, Defaults);

        Assert.Equal(expected, scores.Segment);
    }

    [Fact]
    public void The_grid_maps_every_cell_and_uses_every_named_segment()
    {
        var used = new HashSet<RfmSegment>();
        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                var segment = CustomerScoring.Segment(r, f);
                Assert.NotEqual(RfmSegment.None, segment);
                used.Add(segment);
            }
        }

        Assert.Equal(Enum.GetValues<RfmSegment>().Where(s => s != RfmSegment.None).ToHashSet(), used);
        Assert.Equal(RfmSegment.Champions, CustomerScoring.Segment(5, 5));
        Assert.Equal(RfmSegment.Lost, CustomerScoring.Segment(1, 1));
        Assert.Equal(RfmSegment.CannotLoseThem, CustomerScoring.Segment(1, 5));
        Assert.Equal(RfmSegment.New, CustomerScoring.Segment(5, 1));
        Assert.Equal(RfmSegment.NeedAttention, CustomerScoring.Segment(3, 3));
        Assert.Equal(RfmSegment.None, CustomerScoring.Segment(0, 0));
        Assert.Equal(RfmSegment.None, CustomerScoring.Segment(6, 3));
    }

    // ----- Churn risk -----

    /// <summary>Three EUR 100, 200 and 300 orders 30 days apart, the last one at <paramref name="last"/>.</summary>
    private CustomerProfile MonthlyBuyer(DateTimeOffset last) =>
        Buyer(last, (last.AddDays(-60), Eur(100), Channel.Web), (last.AddDays(-30), Eur(200), Channel.Web), (last, Eur(300), Channel.Web));

    [Fact]
    public void Churn_rises_as_a_customer_is_overdue_on_their_own_rhythm()
    {
        var last = Now.AddDays(-200);
        var profile = MonthlyBuyer(last);
        var risks = new[] { 0, 10, 30, 45, 60, 90, 150 }
            .Select(days => CustomerScoring.Compute(profile, last.AddDays(days), Defaults).ChurnRisk)
            .ToList();

        Assert.Equal(0, risks[0]);
        for (var i = 1; i < risks.Count; i++)
        {
            Assert.True(risks[i] > risks[i - 1], $"risk {risks[i]} should exceed {risks[i - 1]}");
            Assert.InRange(risks[i], 0, 1);
        }

        // risk = r³ / (r³ + 2³) with r = days since last ÷ 30.
        Assert.Equal(0.1111, CustomerScoring.Compute(profile, last.AddDays(30), Defaults).ChurnRisk, 4);
        Assert.Equal(0.5, CustomerScoring.Compute(profile, last.AddDays(60), Defaults).ChurnRisk, 4);
        Assert.Equal(0.7714, CustomerScoring.Compute(profile, last.AddDays(90), Defaults).ChurnRisk, 4);
        Assert.True(CustomerScoring.Compute(profile, last.AddDays(3000), Defaults).ChurnRisk > 0.999);
    }

    [Fact]
    public void The_same_silence_is_riskier_for_a_frequent_buyer_than_for_an_occasional_one()
    {
        var weekly = Buyer(Now, (Now.AddDays(-34), Eur(10), Channel.Web), (Now.AddDays(-27), Eur(10), Channel.Web), (Now.AddDays(-20), Eur(10), Channel.Web));
        var quarterly = Buyer(Now, (Now.AddDays(-200), Eur(10), Channel.Web), (Now.AddDays(-110), Eur(10), Channel.Web), (Now.AddDays(-20), Eur(10), Channel.Web));

        var weeklyScores = CustomerScoring.Compute(weekly, Now, Defaults);
        var quarterlyScores = CustomerScoring.Compute(quarterly, Now, Defaults);

        Assert.Equal(7, weeklyScores.PurchaseIntervalDays);
        Assert.Equal(90, quarterlyScores.PurchaseIntervalDays);
        Assert.True(weeklyScores.ChurnRisk > 0.5);
        Assert.True(quarterlyScores.ChurnRisk < 0.01);
    }

    [Fact]
    public void A_single_order_is_compared_with_the_default_rhythm()
    {
        var profile = DailyBuyer(180, 1);

        var scores = CustomerScoring.Compute(profile, Now, Defaults);
        var monthly = CustomerScoring.Compute(profile, Now, new ScoringOptions { DefaultPurchaseIntervalDays = 30 });

        Assert.Null(scores.PurchaseIntervalDays);
        Assert.Equal(0.5, scores.ChurnRisk, 4); // 180 days = twice the default 90-day rhythm
        Assert.True(monthly.ChurnRisk > scores.ChurnRisk);
    }

    [Fact]
    public void Churn_is_zero_for_someone_who_bought_today()
    {
        Assert.Equal(0, CustomerScoring.Compute(DailyBuyer(0, 1), Now, Defaults).ChurnRisk);
        Assert.Equal(0, CustomerScoring.Compute(DailyBuyer(0, 5), Now, Defaults).ChurnRisk);
    }

    [Fact]
    public void Churn_curve_is_configurable()
    {
        var profile = MonthlyBuyer(Now.AddDays(-30));
        var options = new ScoringOptions { ChurnHalfRiskRatio = 1, ChurnSteepness = 1 };

        Assert.Equal(0.5, CustomerScoring.Compute(profile, Now, options).ChurnRisk, 4);
    }

    [Fact]
    public void Orders_on_one_day_give_a_rhythm_of_at_least_one_day()
    {
        var profile = Buyer(Now, (Now.AddHours(-3), Eur(10), Channel.Web), (Now.AddHours(-2), Eur(10), Channel.Web));

        var scores = CustomerScoring.Compute(profile, Now.AddDays(2), Defaults);

        Assert.Equal(1, scores.PurchaseIntervalDays);
        Assert.Equal(0.5, scores.ChurnRisk, 4);
    }

    // ----- Expected value -----

    [Fact]
    public void Expected_value_is_average_basket_times_the_orders_of_the_next_year_at_the_customers_rhythm()
    {
        var last = Now;
        var scores = CustomerScoring.Compute(MonthlyBuyer(last), last, Defaults);

        // Average basket 200 × 365 / 30 orders × (1 − 0 churn).
        Assert.Equal(30, scores.PurchaseIntervalDays);
        Assert.Equal(600m, scores.HistoricalValue);
        Assert.Equal(2433.33m, scores.ExpectedValue);
    }

    [Fact]
    public void Expected_value_shrinks_with_churn_risk()
    {
        var last = Now.AddDays(-60);
        var scores = CustomerScoring.Compute(MonthlyBuyer(last), Now, Defaults);

        Assert.Equal(0.5, scores.ChurnRisk, 4);
        Assert.Equal(1216.67m, scores.ExpectedValue);
    }

    [Fact]
    public void Expected_value_is_zero_when_the_rhythm_is_unknown()
    {
        var scores = CustomerScoring.Compute(DailyBuyer(3, 1, 500m), Now, Defaults);

        Assert.Equal(500m, scores.HistoricalValue);
        Assert.Equal(0m, scores.ExpectedValue);
    }

    // ----- Engagement -----

    [Theory]
    [InlineData(0, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 2)]
    [InlineData(29, 2)]
    [InlineData(30, 1)]
    [InlineData(89, 1)]
    [InlineData(90, 0)]
    [InlineData(200, 0)]
    public void Engagement_weights_an_event_by_how_recent_it_is(int daysAgo, int expected)
    {
        var profile = WithEvents((EventType.PageView, Now.AddDays(-daysAgo)));

        Assert.Equal(expected, CustomerScoring.Compute(profile, Now, Defaults).Engagement);
    }

    [Fact]
    public void Engagement_weights_each_kind_of_activity()
    {
        var profile = WithEvents(
            (EventType.PageView, Now),              // 1 × 3
            (EventType.ProductView, Now),           // 2 × 3
            (EventType.AddToCart, Now.AddDays(-20)), // 5 × 2
            (EventType.EmailOpen, Now.AddDays(-1)), // 2 × 3
            (EventType.EmailClick, Now.AddDays(-60)), // 4 × 1
            (EventType.StoreVisit, Now),            // not an engagement signal
            (EventType.SupportContact, Now));       // not an engagement signal

        Assert.Equal(3 + 6 + 10 + 6 + 4, CustomerScoring.Compute(profile, Now, Defaults).Engagement);
    }

    [Fact]
    public void Engagement_is_capped_at_100()
    {
        var profile = WithEvents([.. Enumerable.Range(0, 20).Select(i => (EventType.AddToCart, Now.AddMinutes(-i)))]);

        Assert.Equal(100, CustomerScoring.Compute(profile, Now, Defaults).Engagement);
    }

    [Fact]
    public void Engagement_fades_as_time_passes()
    {
        var profile = WithEvents((EventType.ProductView, Now), (EventType.EmailClick, Now));

        Assert.Equal(18, CustomerScoring.Compute(profile, Now, Defaults).Engagement);
        Assert.Equal(12, CustomerScoring.Compute(profile, Now.AddDays(10), Defaults).Engagement);
        Assert.Equal(6, CustomerScoring.Compute(profile, Now.AddDays(40), Defaults).Engagement);
        Assert.Equal(0, CustomerScoring.Compute(profile, Now.AddDays(100), Defaults).Engagement);
    }

    // ----- Channel mix -----

    [Theory]
    [InlineData(ChannelMix.WebOnly, Channel.Web)]
    [InlineData(ChannelMix.WebOnly, Channel.App)]
    [InlineData(ChannelMix.WebOnly, Channel.Web, Channel.App)]
    [InlineData(ChannelMix.StoreOnly, Channel.Store)]
    [InlineData(ChannelMix.StoreOnly, Channel.Store, Channel.Store)]
    [InlineData(ChannelMix.Omnichannel, Channel.Web, Channel.Store)]
    [InlineData(ChannelMix.Omnichannel, Channel.App, Channel.Store)]
    [InlineData(ChannelMix.Omnichannel, Channel.Store, Channel.CallCentre, Channel.App)]
    [InlineData(ChannelMix.StoreOnly, Channel.Store, Channel.CallCentre)]
    [InlineData(ChannelMix.None, Channel.CallCentre)]
    [InlineData(ChannelMix.None, Channel.Email, Channel.Unspecified)]
    public void Channel_mix_comes_from_the_channels_of_the_orders(ChannelMix expected, params Channel[] channels)
    {
        var profile = Buyer(Now, [.. channels.Select((c, i) => (Now.AddDays(-i), Eur(10), c))]);

        Assert.Equal(expected, CustomerScoring.Compute(profile, Now, Defaults).ChannelMix);
    }

    // ----- Never bought -----

    [Fact]
    public void A_customer_who_never_bought_has_no_rfm_and_no_value_but_can_be_engaged()
    {
        var profile = WithEvents((EventType.PageView, Now), (EventType.AddToCart, Now.AddDays(-10)));

        var scores = CustomerScoring.Compute(profile, Now, Defaults);

        Assert.Equal(0, scores.Recency);
        Assert.Equal(0, scores.Frequency);
        Assert.Equal(0, scores.Monetary);
        Assert.Equal(RfmSegment.None, scores.Segment);
        Assert.Equal(0m, scores.HistoricalValue);
        Assert.Equal(0m, scores.ExpectedValue);
        Assert.Equal(0, scores.ChurnRisk);
        Assert.Equal(ChannelMix.None, scores.ChannelMix);
        Assert.Null(scores.DaysSinceLastPurchase);
        Assert.Null(scores.PurchaseIntervalDays);
        Assert.Equal(3 + 10, scores.Engagement);
    }

    [Fact]
    public void An_empty_profile_scores_zero_everywhere()
    {
        var scores = CustomerScoring.Compute(new CustomerProfile(), Now, Defaults);

        Assert.Equal(new CustomerScores(0, 0, 0, RfmSegment.None, "EUR", 0m, 0m, 0, 0, ChannelMix.None, null, null), scores);
    }

    // ----- Options -----

    [Fact]
    public void Default_options_are_valid()
    {
        var options = new ScoringOptions();

        options.Validate();
        Assert.Equal((30, 60, 120, 240), (options.RecencyDaysScore5, options.RecencyDaysScore4, options.RecencyDaysScore3, options.RecencyDaysScore2));
        Assert.Equal((1, 2, 4, 8, 15), (options.FrequencyOrdersScore1, options.FrequencyOrdersScore2, options.FrequencyOrdersScore3, options.FrequencyOrdersScore4, options.FrequencyOrdersScore5));
        Assert.Equal((50m, 150m, 400m, 1000m, 2500m), (options.MonetaryScore1, options.MonetaryScore2, options.MonetaryScore3, options.MonetaryScore4, options.MonetaryScore5));
        Assert.Equal("EUR", options.ReportingCurrency);
        Assert.Equal(90, options.DefaultPurchaseIntervalDays);
    }

    public static TheoryData<string, Action<ScoringOptions>> InvalidOptions => new()
    {
        { "recency not ascending", o => o.RecencyDaysScore4 = 30 },
        { "recency descending", o => o.RecencyDaysScore2 = 100 },
        { "recency zero", o => o.RecencyDaysScore5 = 0 },
        { "recency negative", o => o.RecencyDaysScore5 = -5 },
        { "frequency not ascending", o => o.FrequencyOrdersScore3 = 2 },
        { "frequency zero", o => o.FrequencyOrdersScore1 = 0 },
        { "monetary descending", o => o.MonetaryScore5 = 900m },
        { "monetary negative", o => o.MonetaryScore1 = -1m },
        { "currency empty", o => o.ReportingCurrency = " " },
        { "default rhythm zero", o => o.DefaultPurchaseIntervalDays = 0 },
        { "default rhythm not a number", o => o.DefaultPurchaseIntervalDays = double.NaN },
        { "half-risk ratio negative", o => o.ChurnHalfRiskRatio = -1 },
        { "steepness zero", o => o.ChurnSteepness = 0 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_rejected(string reason, Action<ScoringOptions> breakIt)
    {
        var options = new ScoringOptions();
        breakIt(options);

        Assert.Throws<ArgumentException>(options.Validate);
        Assert.Throws<ArgumentException>(() => CustomerScoring.Compute(DailyBuyer(0, 1), Now, options));
        Assert.False(string.IsNullOrEmpty(reason));
    }
}
