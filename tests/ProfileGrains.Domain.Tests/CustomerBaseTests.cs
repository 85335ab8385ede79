using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

/// <summary>The insight console's figures: each customer's insight, their sum over a sample, and the event rate.</summary>
public class CustomerBaseTests
{
    private static readonly ScoringOptions Scoring = new();
    private int _sequence;

    private CustomerProfile Buyer(params (int DaysAgo, decimal Amount, Channel Channel)[] orders)
    {
        var profile = NewProfile($"cust-{++_sequence}", Now.AddDays(-1000));
        foreach (var (daysAgo, amount, channel) in orders)
        {
            var n = ++_sequence;
            Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase($"evt-{n}", $"ord-{n}", Eur(amount), Now.AddDays(-daysAgo), channel), Now));
        }

        return profile;
    }

    private static CustomerInsight Insight(CustomerProfile profile, SegmentDefinition? probe = null) => CustomerInsight.From(profile, Now, Scoring, probe);

    [Fact]
    public void Customers_land_in_the_rfm_cell_of_their_recency_and_frequency_and_never_buyers_stay_out_of_the_grid()
    {
        var tally = new CustomerBaseTally();
        var recentOnce = Insight(Buyer((2, 30m, Channel.Web)));
        var lapsedOften = Insight(Buyer([.. Enumerable.Range(0, 12).Select(i => (300 + i, 50m, Channel.Store))]));
        tally.Add(recentOnce);
        tally.Add(lapsedOften);
        tally.Add(Insight(NewProfile("never", Now.AddDays(-10))));

        var figures = tally.Figures(customers: 3);

        Assert.Equal(1, figures.RfmGrid.Single(c => c.Recency == recentOnce.Recency && c.Frequency == recentOnce.Frequency).Customers);
        Assert.Equal(1, figures.RfmGrid.Single(c => c.Recency == lapsedOften.Recency && c.Frequency == lapsedOften.Frequency).Customers);
        Assert.Equal(2, figures.RfmGrid.Sum(c => c.Customers));
        Assert.Equal(25, figures.RfmGrid.Count);
        Assert.Equal(1, figures.ChurnRisk.Single(t => t.Label == "never bought").Customers);
        Assert.Equal(1, figures.ValueTiers.Single(t => t.Label == "none").Customers);
        Assert.Equal(1, figures.ChannelMix.Single(t => t.Label == nameof(ChannelMix.WebOnly)).Customers);
        Assert.Equal(1, figures.ChannelMix.Single(t => t.Label == nameof(ChannelMix.StoreOnly)).Customers);
        Assert.True(figures.Exact);
    }

    [Fact]
    public void Churn_risk_falls_in_bands_at_their_thresholds()
    {
        var tally = new CustomerBaseTally();
        foreach (var risk in new[] { 0.0, 0.29, 0.3, 0.69, 0.7, 1.0 })
        {
            tally.Add(new CustomerInsight(3, 3, 3, RfmSegment.NeedAttention, ChannelMix.WebOnly, risk, [], null));
        }

        var bands = tally.Figures(6).ChurnRisk.ToDictionary(t => t.Label, t => t.Customers);
        Assert.Equal(2, bands["low"]);
        Assert.Equal(2, bands["medium"]);
        Assert.Equal(2, bands["high"]);
    }

    [Fact]
    public void Consent_coverage_counts_granted_refused_and_unknown_for_each_channel_and_purpose()
    {
        var granted = NewProfile("granted");
        granted.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-3))] }, "consents"), Now);
        var withdrawn = NewProfile("withdrawn");
        withdrawn.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-9)), Consent(ContactChannel.Email, ConsentStatus.Withdrawn, Now.AddDays(-1))] }, "consents"), Now);
        var denied = NewProfile("denied");
        denied.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Sms, ConsentStatus.Denied, Now.AddDays(-2))] }, "consents"), Now);
        var tally = new CustomerBaseTally();
        foreach (var profile in new[] { granted, withdrawn, denied, NewProfile("silent") })
        {
            tally.Add(Insight(profile));
        }

        var coverage = tally.Figures(4).Consents;
        var emailMarketing = coverage.Single(c => c.Channel == ContactChannel.Email && c.Purpose == ConsentPurpose.Marketing);
        Assert.Equal((1, 1, 2), (emailMarketing.Granted, emailMarketing.Refused, emailMarketing.Unknown));
        var smsMarketing = coverage.Single(c => c.Channel == ContactChannel.Sms && c.Purpose == ConsentPurpose.Marketing);
        Assert.Equal((0, 1, 3), (smsMarketing.Granted, smsMarketing.Refused, smsMarketing.Unknown));
        Assert.Equal(CustomerInsight.ConsentCells.Count, coverage.Count);
        Assert.All(coverage, c => Assert.Equal(4, c.Granted + c.Refused + c.Unknown));
    }

    [Fact]
    public void A_probe_counts_the_customers_it_would_take_and_scales_a_sample_to_the_whole_base()
    {
        var bigSpender = new SegmentDefinition("probe", "probe", [new ExpressionCondition("spend(EUR) >= 100")], 0);
        var tally = new CustomerBaseTally();
        tally.Add(Insight(Buyer((5, 150m, Channel.Web)), bigSpender));
        tally.Add(Insight(Buyer((5, 20m, Channel.Web)), bigSpender));
        tally.Add(Insight(Buyer((5, 20m, Channel.Web)), bigSpender));
        tally.Add(Insight(Buyer((5, 100m, Channel.Store)), bigSpender));

        var exact = tally.Figures(customers: 4);
        Assert.Equal(2, exact.MatchedProbe);
        Assert.Equal(2, exact.EstimatedMatches);
        Assert.True(exact.Exact);

        var sampled = tally.Figures(customers: 1000);
        Assert.False(sampled.Exact);
        Assert.Equal(500, sampled.EstimatedMatches);
    }

    [Fact]
    public void A_probe_with_a_required_consent_takes_only_customers_who_hold_it()
    {
        var consenting = Buyer((5, 150m, Channel.Web));
        consenting.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-1))] }, "consents"), Now);
        var probe = new SegmentDefinition("probe", "probe", [new ExpressionCondition("spend(EUR) >= 100")], 0, new ActivationConsent(ContactChannel.Email, ConsentPurpose.Marketing));

        Assert.True(Insight(consenting, probe).MatchesProbe);
        Assert.False(Insight(Buyer((5, 150m, Channel.Web)), probe).MatchesProbe);
        Assert.Null(Insight(consenting).MatchesProbe);
    }

    [Fact]
    public void A_sample_is_uniform_the_same_in_any_order_and_nested_as_its_fraction_grows()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"01a23d{i:x10}").ToList();

        var tenth = CustomerSampling.Draw(ids, 0.1, int.MaxValue);
        Assert.InRange(tenth.Count, 1_800, 2_200); // 2,000 expected, σ ≈ 42
        // Ids in order of creation: the sample is spread over all of them, not bunched at either end.
        var firstHalf = tenth.Count(id => ids.IndexOf(id) < 10_000);
        Assert.InRange(firstHalf, (tenth.Count / 2) - 150, (tenth.Count / 2) + 150);

        var shuffled = ids.ToArray();
        new Random(7).Shuffle(shuffled);
        Assert.Equal(tenth, CustomerSampling.Draw(shuffled, 0.1, int.MaxValue));
        var capped = CustomerSampling.Draw(ids, 0.1, 100);
        Assert.Equal(tenth.Take(100), capped);
        Assert.Subset(tenth.ToHashSet(), CustomerSampling.Draw(ids, 0.05, int.MaxValue).ToHashSet());
    }

    [Fact]
    public void The_event_rate_is_growth_over_the_window_and_restarts_when_the_total_drops()
    {
        var rate = new CountRate(TimeSpan.FromSeconds(10));
        Assert.Equal(0, rate.PerSecond);
        rate.Record(Now, 1_000);
        Assert.Equal(0, rate.PerSecond);
        rate.Record(Now.AddSeconds(2), 1_100);
        rate.Record(Now.AddSeconds(4), 1_400);
        Assert.Equal(100, rate.PerSecond);

        // Readings older than the window stop counting.
        rate.Record(Now.AddSeconds(14), 1_400);
        rate.Record(Now.AddSeconds(16), 1_400);
        Assert.Equal(0, rate.PerSecond);

        // A restarted counter: no negative rate, the measure starts again from the new total.
        rate.Record(Now.AddSeconds(18), 10);
        Assert.Equal(0, rate.PerSecond);
        rate.Record(Now.AddSeconds(20), 30);
        Assert.Equal(10, rate.PerSecond);
    }
}
