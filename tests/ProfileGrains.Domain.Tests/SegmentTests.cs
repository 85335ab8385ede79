using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class SegmentTests
{
    /// <summary>3 page views in the last hour, 2 more two days ago; 3 orders (EUR 150 over two, GBP 20); last purchase 10.5 days ago; email granted.</summary>
    private static CustomerProfile Shopper()
    {
        var p = NewProfile(createdAt: Now.AddDays(-60));
        p.Apply(PageView("pv1", Now.AddMinutes(-1)), Now);
        p.Apply(PageView("pv2", Now.AddMinutes(-20)), Now);
        p.Apply(PageView("pv3", Now.AddMinutes(-50)), Now);
        p.Apply(PageView("pv4", Now.AddDays(-2)), Now);
        p.Apply(PageView("pv5", Now.AddDays(-2)), Now);
        p.Apply(Purchase("e1", "O1", Eur(100), Now.AddDays(-30)), Now);
        p.Apply(Purchase("e2", "O2", Eur(50), Now.AddDays(-10.5)), Now);
        p.Apply(Purchase("e3", "O3", Gbp(20), Now.AddDays(-20)), Now);
        p.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-5))] }, "consents"), Now);
        return p;
    }

    [Theory]
    [InlineData(Comparison.Equal, 3, true)]
    [InlineData(Comparison.Equal, 2, false)]
    [InlineData(Comparison.NotEqual, 2, true)]
    [InlineData(Comparison.NotEqual, 3, false)]
    [InlineData(Comparison.Greater, 2, true)]
    [InlineData(Comparison.Greater, 3, false)]
    [InlineData(Comparison.GreaterOrEqual, 3, true)]
    [InlineData(Comparison.GreaterOrEqual, 4, false)]
    [InlineData(Comparison.Less, 4, true)]
    [InlineData(Comparison.Less, 3, false)]
    [InlineData(Comparison.LessOrEqual, 3, true)]
    [InlineData(Comparison.LessOrEqual, 2, false)]
    [InlineData((Comparison)0, 3, false)]
    public void OrderCount_EveryComparison(Comparison comparison, long value, bool expected) =>
        Assert.Equal(expected, new OrderCountCondition(comparison, value).Holds(Shopper(), Now));

    [Theory]
    [InlineData(CounterWindow.OneHour, 3)]
    [InlineData(CounterWindow.OneDay, 3)]
    [InlineData(CounterWindow.SevenDays, 5)]
    [InlineData(CounterWindow.Lifetime, 5)]
    public void EventCount_CountsInTheConditionsWindow(CounterWindow window, long expected)
    {
        var shopper = Shopper();
        Assert.True(new EventCountCondition(EventType.PageView, window, Comparison.Equal, expected).Holds(shopper, Now));
        Assert.False(new EventCountCondition(EventType.PageView, window, Comparison.Greater, expected).Holds(shopper, Now));
    }

    [Fact]
    public void EventCount_UsesTheEvaluationTime()
    {
        var condition = new EventCountCondition(EventType.PageView, CounterWindow.OneHour, Comparison.GreaterOrEqual, 3);
        Assert.True(condition.Holds(Shopper(), Now));
        Assert.False(condition.Holds(Shopper(), Now.AddMinutes(30)));
    }

    [Fact]
    public void EventCount_TypeNeverSeen_IsZero()
    {
        Assert.True(new EventCountCondition(EventType.Review, CounterWindow.Lifetime, Comparison.Equal, 0).Holds(Shopper(), Now));
        Assert.False(new EventCountCondition(EventType.Review, CounterWindow.Lifetime, Comparison.GreaterOrEqual, 1).Holds(Shopper(), Now));
    }

    [Theory]
    [InlineData("EUR", Comparison.Equal, 150, true)]
    [InlineData("EUR", Comparison.Greater, 100, true)]
    [InlineData("EUR", Comparison.Greater, 150, false)]
    [InlineData("GBP", Comparison.LessOrEqual, 20, true)]
    [InlineData("USD", Comparison.Equal, 0, true)] // never spent in a currency = 0 in it
    [InlineData("USD", Comparison.Greater, 0, false)]
    [InlineData("eur", Comparison.Greater, 0, false)] // currencies are exact codes
    public void Spend_ComparesTheSpendInOneCurrency(string currency, Comparison comparison, int amount, bool expected) =>
        Assert.Equal(expected, new SpendCondition(currency, comparison, amount).Holds(Shopper(), Now));

    [Fact]
    public void Spend_ComparesDecimalAmountsExactly()
    {
        Assert.False(new SpendCondition("EUR", Comparison.Greater, 150.00m).Holds(Shopper(), Now));
        Assert.True(new SpendCondition("EUR", Comparison.Greater, 149.99m).Holds(Shopper(), Now));
    }

    [Theory]
    [InlineData(ContactChannel.Email, ConsentStatus.Granted, true)]
    [InlineData(ContactChannel.Email, ConsentStatus.Denied, false)]
    [InlineData(ContactChannel.Email, ConsentStatus.Unknown, false)]
    [InlineData(ContactChannel.Sms, ConsentStatus.Unknown, true)]
    [InlineData(ContactChannel.Sms, ConsentStatus.Granted, false)]
    public void Consent_MatchesTheChannelsStatus(ContactChannel channel, ConsentStatus status, bool expected) =>
        Assert.Equal(expected, new ConsentCondition(channel, status).Holds(Shopper(), Now));

    [Theory]
    [InlineData(Comparison.Equal, 10, true)] // 10.5 days ago counts as 10 whole days
    [InlineData(Comparison.LessOrEqual, 10, true)]
    [InlineData(Comparison.Greater, 10, false)]
    [InlineData(Comparison.GreaterOrEqual, 11, false)]
    [InlineData(Comparison.Less, 10, false)]
    [InlineData(Comparison.Greater, 9, true)]
    public void DaysSinceLastPurchase_CountsWholeDaysSinceTheLatestPurchase(Comparison comparison, int days, bool expected) =>
        Assert.Equal(expected, new DaysSinceLastPurchaseCondition(comparison, days).Holds(Shopper(), Now));

    [Theory]
    [InlineData(Comparison.GreaterOrEqual, 0)]
    [InlineData(Comparison.Greater, 30)]
    [InlineData(Comparison.Less, 100_000)]
    [InlineData(Comparison.NotEqual, 5)]
    [InlineData(Comparison.Equal, 0)]
    public void DaysSinceLastPurchase_CustomerWhoNeverBought_NeverMatches(Comparison comparison, int days)
    {
        var browser = NewProfile();
        browser.Apply(PageView("pv1", Now), Now);
        Assert.False(new DaysSinceLastPurchaseCondition(comparison, days).Holds(browser, Now));
    }

    [Fact]
    public void DaysSinceLastPurchase_PurchaseToday_IsZeroDays()
    {
        var p = NewProfile();
        p.Apply(Purchase("e1", "O1", Eur(1), Now.AddHours(-23)), Now);
        Assert.True(new DaysSinceLastPurchaseCondition(Comparison.Equal, 0).Holds(p, Now));
        Assert.True(new DaysSinceLastPurchaseCondition(Comparison.Equal, 1).Holds(p, Now.AddHours(1)));
    }

    [Fact]
    public void DaysSinceLastPurchase_PurchaseSlightlyAheadOfTheServerClock_IsZeroDays()
    {
        var p = NewProfile();
        p.Apply(Purchase("e1", "O1", Eur(1), Now.AddMinutes(2)), Now); // accepted: within MaxClockSkew
        Assert.True(new DaysSinceLastPurchaseCondition(Comparison.Equal, 0).Holds(p, Now));
        Assert.True(new DaysSinceLastPurchaseCondition(Comparison.GreaterOrEqual, 0).Holds(p, Now));
    }

    private static SegmentDefinition Definition(params SegmentCondition[] conditions) => new("vip", "VIP", conditions, 1);

    [Fact]
    public void Matches_RequiresEveryCondition()
    {
        var orders = new OrderCountCondition(Comparison.GreaterOrEqual, 3);
        var spend = new SpendCondition("EUR", Comparison.Greater, 100);
        var consent = new ConsentCondition(ContactChannel.Email, ConsentStatus.Granted);
        var recent = new DaysSinceLastPurchaseCondition(Comparison.Less, 7);
        var shopper = Shopper();

        Assert.True(Definition(orders, spend, consent).Matches(shopper, Now));
        Assert.False(Definition(orders, spend, consent, recent).Matches(shopper, Now));
        Assert.False(Definition(recent, orders).Matches(shopper, Now));
    }

    [Fact]
    public void Evaluator_ReturnsTheIdsOfMatchingSegments()
    {
        SegmentDefinition[] definitions =
        [
            new("buyers", "Buyers", [new OrderCountCondition(Comparison.Greater, 0)], 1),
            new("lapsed", "Lapsed", [new DaysSinceLastPurchaseCondition(Comparison.Greater, 90)], 1),
            new("engaged", "Engaged", [new EventCountCondition(EventType.PageView, CounterWindow.SevenDays, Comparison.GreaterOrEqual, 5)], 3),
        ];

        Assert.Equal(["buyers", "engaged"], SegmentEvaluator.MatchingSegments(definitions, Shopper(), Now));
        Assert.Equal(["buyers", "lapsed"], SegmentEvaluator.MatchingSegments(definitions, Shopper(), Now.AddDays(100)));
        Assert.Empty(SegmentEvaluator.MatchingSegments(definitions, NewProfile(), Now));
    }

    // ---- definition validation ----

    private static IReadOnlyList<FieldViolation> Validate(string id, string? name, int conditionCount)
    {
        var v = new Violations();
        var conditions = Enumerable.Range(0, conditionCount).Select(i => (SegmentCondition)new OrderCountCondition(Comparison.Greater, i)).ToList();
        SegmentDefinition.Validate(id, name, conditions, v);
        return v.Items;
    }

    [Theory]
    [InlineData("vip")]
    [InlineData("VIP_2024-q1")]
    [InlineData("a")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")] // 64 characters
    public void Validate_GoodId_HasNoViolations(string id) => Assert.Empty(Validate(id, "VIP", 1));

    [Theory]
    [InlineData("")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")] // 65 characters
    [InlineData("vip customers")]
    [InlineData(" vip")]
    [InlineData("vip/2024")]
    [InlineData("vip.2024")]
    [InlineData("vip:2024")]
    [InlineData("café")]
    [InlineData("vip\u0000")]
    public void Validate_BadId_IsReported(string id)
    {
        var violation = Assert.Single(Validate(id, "VIP", 1));
        Assert.Equal("segment.segment_id", violation.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\u0007name")]
    public void Validate_BadName_IsReported(string? name) =>
        Assert.Equal("segment.name", Assert.Single(Validate("vip", name, 1)).Field);

    [Fact]
    public void Validate_LongName_IsReported()
    {
        Assert.Empty(Validate("vip", new string('n', Limits.MaxShortTextLength), 1));
        Assert.Equal("segment.name", Assert.Single(Validate("vip", new string('n', Limits.MaxShortTextLength + 1), 1)).Field);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(Limits.MaxSegmentConditions, true)]
    [InlineData(Limits.MaxSegmentConditions + 1, false)]
    public void Validate_ConditionCount(int count, bool valid)
    {
        var items = Validate("vip", "VIP", count);
        if (valid)
        {
            Assert.Empty(items);
        }
        else
        {
            Assert.Equal("segment.rule.all_of", Assert.Single(items).Field);
        }
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce() =>
        Assert.Equal(["segment.segment_id", "segment.name", "segment.rule.all_of"], Validate("", null, 0).Select(v => v.Field));
}
