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
        var matching = index.Matching(profile, ["email-ok"], SegmentIndex.ChangedBy(PageView("p1", Now)), Now);

        Assert.Equal(["browsers", "email-ok"], matching.Order());
    }

    [Fact]
    public void A_purchase_re_evaluates_order_and_spend_segments()
    {
        var index = new SegmentIndex([Browsers, Buyers]);
        var profile = NewProfile();
        var purchase = Purchase("e1", "o1", Eur(10m), Now.AddDays(-1));
        profile.Apply(purchase, Now);

        Assert.Equal(["buyers"], index.Matching(profile, [], SegmentIndex.ChangedBy(purchase), Now));
    }

    [Fact]
    public void Time_dependent_segments_are_evaluated_on_every_change_and_deleted_ones_are_dropped()
    {
        var index = new SegmentIndex([Recent, Browsers]);
        var profile = NewProfile();
        profile.Apply(Purchase("e1", "o1", Eur(10m), Now.AddDays(-10)), Now);
        profile.Apply(PageView("p1", Now), Now);

        // "recent" was held, but its purchase has left the 7-day window; "gone" is no longer defined.
        var matching = index.Matching(profile, ["recent", "gone"], SegmentIndex.ChangedBy(PageView("p1", Now)), Now);

        Assert.Equal(["browsers"], matching);
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
            held = [.. index.Matching(profile, held, SegmentIndex.ChangedBy(e), Now)];
            Assert.Equal(SegmentEvaluator.MatchingSegments(definitions, profile, Now).Order(), held.Order());
        }
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
