using ProfileGrains.Domain.Rules;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class SegmentIndexTests
{
    private static SegmentDefinition Segment(string id, params SegmentCondition[] conditions) => new(id, id, conditions, 1);

    private static readonly SegmentDefinition Browsers = Segment("browsers", new ExpressionCondition("count(page_view, lifetime) >= 1"));
    private static readonly SegmentDefinition Buyers = Segment("buyers", new OrderCountCondition(Comparison.GreaterOrEqual, 1));
    private static readonly SegmentDefinition EmailOk = Segment("email-ok", new ConsentCondition(ContactChannel.Email, ConsentStatus.Granted));
    private static readonly SegmentDefinition Recent = Segment("recent", new ExpressionCondition("count(purchase, 7d) >= 1"));

    [Fact]
    public void An_event_re_evaluates_only_the_segments_reading_what_it_changed()
    {
        var index = new SegmentIndex([Browsers, Buyers, EmailOk]);
        var profile = NewProfile();
        profile.Apply(PageView("p1", Now), Now);

        // "email-ok" is held from before although it would not match now: a page view cannot change it, so it is kept
        // as it was, which shows it was not evaluated.
        var matching = index.Matching(profile, ["email-ok"], SegmentIndex.ChangedBy(PageView("p1", Now)), timeMoved: true, Now);

        Assert.Equal(["browsers", "email-ok"], matching.Order());
    }

    [Fact]
    public void A_purchase_re_evaluates_order_and_spend_segments()
    {
        var index = new SegmentIndex([Browsers, Buyers]);
        var profile = NewProfile();
        var purchase = Purchase("e1", "o1", Eur(10m), Now.AddDays(-1));
        profile.Apply(purchase, Now);

        Assert.Equal(["buyers"], index.Matching(profile, [], SegmentIndex.ChangedBy(purchase), timeMoved: true, Now));
    }

    [Fact]
    public void Time_dependent_segments_are_evaluated_once_time_has_moved_and_deleted_ones_are_dropped()
    {
        var index = new SegmentIndex([Recent, Browsers]);
        var profile = NewProfile();
        profile.Apply(Purchase("e1", "o1", Eur(10m), Now.AddDays(-10)), Now);
        profile.Apply(PageView("p1", Now), Now);

        // "recent" was held, but its purchase has left the 7-day window; "gone" is no longer defined.
        var moved = index.Matching(profile, ["recent", "gone"], SegmentIndex.ChangedBy(PageView("p1", Now)), timeMoved: true, Now);
        var notMoved = index.Matching(profile, ["recent", "gone"], SegmentIndex.ChangedBy(PageView("p1", Now)), timeMoved: false, Now);

        Assert.Equal(["browsers"], moved);
        Assert.Equal(["browsers", "recent"], notMoved.Order());
    }

    [Fact]
    public void Selective_evaluation_agrees_with_full_evaluation_after_every_event()
    {
        var definitions = new[] { Browsers, Buyers, EmailOk, Recent, Segment("big", new ExpressionCondition("spend(EUR) > 25 and orders >= 2")) };
        var index = new SegmentIndex(definitions);
        var profile = NewProfile();
        IReadOnlyList<string> held = [];
        var events = new[]
        {
            PageView("a", Now.AddDays(-9)),
            Purchase("b", "o1", Eur(20m), Now.AddDays(-8)),
            Product("c", EventType.AddToCart, "bags", Now.AddDays(-2)),
            Purchase("d", "o2", Eur(20m), Now.AddDays(-1)),
            PageView("e", Now),
        };
        foreach (var e in events)
        {
            profile.Apply(e, Now);
            held = [.. index.Matching(profile, held, SegmentIndex.ChangedBy(e), timeMoved: true, Now)];
            Assert.Equal(SegmentEvaluator.MatchingSegments(definitions, profile, Now).Order(), held.Order());
        }
    }
}

/// <summary>
/// An event leaves a time-dependent segment as it was unless time has moved past an instant at which it could change:
/// evaluated that way, event after event, membership is always what evaluating every segment would give.
/// </summary>
public sealed class TimeSettledEvaluationTests
{
    private static readonly string[] Rules =
    [
        "count(purchase, 30d) >= 1",
        "count(purchase, 7d) >= 2",
        "count(product_view, 7d) >= 1 and count(purchase, 7d) == 0",
        "count(page_view, 24h) >= 2",
        "count(page_view, 1h) >= 1",
        "days_since(last_purchase) >= 3",
        "days_since(first_purchase) < 10",
        "hours_since(cart_change) >= 2 and cart_items > 0",
        "count(add_to_cart, 24h) >= 1 and count(purchase, 24h) == 0",
        "\"bags\" in categories_viewed(24h)",
        "rfm == \"new\"",
        "churn_risk >= 0.5",
        "orders >= 2",
        "count(page_view, lifetime) >= 3",
    ];

    private static SegmentDefinition[] Definitions() => [.. Rules.Select((rule, i) => new SegmentDefinition($"s{i}", rule, [new ExpressionCondition(rule)], 1))];

    [Fact]
    public void Event_after_event_at_uneven_intervals_membership_equals_a_full_evaluation()
    {
        var definitions = Definitions();
        Assert.All(definitions, d => Assert.True(SegmentRule.Compile(((ExpressionCondition)d.Conditions[0]).Expression).Succeeded, d.Name));
        var index = new SegmentIndex(definitions);
        var profile = NewProfile();
        IReadOnlyList<string> held = [];
        var settledUntil = DateTimeOffset.MinValue;
        var at = Now.AddDays(-60);
        var gaps = new[] { 0, 10, 50, 180, 1_200, 1_440, 2_880, 5, 8_640, 43_200, 61, 59, 1, 4_320, 100, 2_000, 30_000, 7 };
        var fullEvaluations = 0;
        for (var k = 0; k < gaps.Length * 3; k++)
        {
            at = at.AddMinutes(gaps[k % gaps.Length]);
            var e = (k % 4) switch
            {
                0 => PageView($"e{k}", at),
                1 => Purchase($"e{k}", $"o{k}", Eur(20m), at),
                2 => Product($"e{k}", EventType.AddToCart, "bags", at),
                _ => Product($"e{k}", EventType.ProductView, "bags", at),
            };
            profile.Apply(e, at);
            var timeMoved = at >= settledUntil;
            fullEvaluations += timeMoved ? 1 : 0;
            held = [.. index.Matching(profile, held, SegmentIndex.ChangedBy(e), timeMoved, at)];
            settledUntil = index.TimeSettledUntil(profile, at);

            Assert.Equal(SegmentEvaluator.MatchingSegments(definitions, profile, at).Order(), held.Order());
        }

        Assert.InRange(fullEvaluations, 1, (gaps.Length * 3) - 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(59)]
    [InlineData(61)]
    [InlineData(1_439)]
    [InlineData(4_000)]
    [InlineData(200_000)]
    public void The_first_candidate_is_the_earliest_instant_of_the_full_list(int minutesLater)
    {
        var profile = NewProfile();
        profile.Apply(Purchase("p1", "o1", Eur(10m), Now.AddDays(-3).AddMinutes(7)), Now);
        profile.Apply(Purchase("p2", "o2", Eur(10m), Now.AddHours(-5)), Now);
        profile.Apply(PageView("v1", Now.AddMinutes(-20)), Now);
        profile.Apply(Product("c1", EventType.AddToCart, "bags", Now.AddMinutes(-90)), Now);
        profile.Apply(Product("pv", EventType.ProductView, "shoes", Now.AddDays(-2)), Now);
        profile.Apply(Event("k1", EventType.EmailClick, new CampaignPayload("spring"), Now.AddDays(-1).AddMinutes(13), Channel.Email), Now);
        var traits = ProfileTraits.Empty with
        {
            BirthDate = new DateOnly(1990, 7, 2),
            Preferences = Preferences.Empty with { LifeEventDates = new Dictionary<string, DateOnly> { ["moved"] = DateOnly.FromDateTime(Now.AddDays(-40).UtcDateTime) } },
        };
        Assert.Null(profile.ApplyTraits(Update(traits, "birth_date", "preferences.life_event_dates"), Now));
        var at = Now.AddMinutes(minutesLater);

        var expected = SegmentTiming.Candidates(profile, at).DefaultIfEmpty(at + SegmentTiming.Horizon).First();

        Assert.Equal(expected, SegmentTiming.FirstCandidateAfter(profile, at));
        Assert.True(expected > at);
    }

    [Fact]
    public void A_counters_first_window_exit_is_the_earliest_of_all_its_exits_after_any_instant()
    {
        var counter = new EventCounter();
        var random = new Random(7);
        for (var i = 0; i < 400; i++)
        {
            counter.Record(Now.AddMinutes(-random.Next(0, 60 * 24 * 400)), Now);
        }

        for (var minutes = -60 * 24 * 30; minutes <= 60 * 24 * 400; minutes += 97)
        {
            var from = Now.AddMinutes(minutes).UtcTicks;
            var expected = counter.WindowExits().Where(t => t > from).DefaultIfEmpty(long.MaxValue).Min();
            Assert.Equal(expected, counter.FirstWindowExitAfter(from));
        }
    }

    [Fact]
    public void Scores_are_computed_afresh_for_each_evaluation_even_at_the_same_instant()
    {
        var definitions = new[] { new SegmentDefinition("new", "new", [new ExpressionCondition("rfm == \"new\"")], 1), new SegmentDefinition("none", "none", [new ExpressionCondition("rfm == \"none\"")], 1) };
        var profile = NewProfile();
        Assert.Equal(["none"], SegmentEvaluator.MatchingSegments(definitions, profile, Now));

        profile.Apply(Purchase("p1", "o1", Eur(10m), Now), Now);

        Assert.Equal(["new"], SegmentEvaluator.MatchingSegments(definitions, profile, Now));
    }
}

public sealed class RuleScoresTests
{
    [Theory]
    [InlineData("rfm == \"champions\"")]
    [InlineData("churn_risk < 0.5 and engagement >= 0")]
    [InlineData("channel_mix == \"omnichannel\" or value > 100")]
    [InlineData("recency >= 4 and frequency >= 4 and monetary >= 4")]
    public void Scores_can_be_used_in_rules(string expression)
    {
        var compiled = SegmentRule.Compile(expression);
        Assert.True(compiled.Succeeded, string.Join("; ", compiled.Errors));
        Assert.Contains("scores", compiled.Rule!.Inputs);
    }

    [Fact]
    public void A_champion_matches_the_champions_rule()
    {
        var profile = NewProfile();
        for (var i = 0; i < 12; i++)
        {
            profile.Apply(Purchase($"e{i}", $"o{i}", Eur(400m), Now.AddDays(-2 - (i * 20))), Now);
        }

        var rule = SegmentRule.Compile("rfm == \"champions\"").Rule!;
        Assert.Equal(RfmSegment.Champions, CustomerScoring.Compute(profile, Now, new ScoringOptions()).Segment);
        Assert.True(rule.Evaluate(profile, Now));
        Assert.False(SegmentRule.Compile("rfm == \"lost\"").Rule!.Evaluate(profile, Now));
    }
}
