using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class SegmentMembershipTests
{
    [Fact]
    public void A_stale_or_repeated_notice_changes_nothing()
    {
        var shard = new SegmentShardState();
        Assert.NotNull(shard.Apply("c1", true, 5, Now, 100));
        Assert.Null(shard.Apply("c1", true, 5, Now, 100));
        // A late exit from before the enter must not remove the member.
        Assert.Null(shard.Apply("c1", false, 4, Now, 100));
        Assert.Equal(1, shard.Count);
        Assert.NotNull(shard.Apply("c1", false, 6, Now, 100));
        // A late enter from before the exit must not bring it back.
        Assert.Null(shard.Apply("c1", true, 5, Now, 100));
        Assert.Equal(0, shard.Count);
        Assert.Equal(2, shard.Head);
    }

    [Fact]
    public void The_change_log_is_read_in_order_after_a_sequence_and_says_when_it_no_longer_reaches_back()
    {
        var shard = new SegmentShardState();
        for (var i = 0; i < 10; i++)
        {
            shard.Apply($"c{i}", true, 1, Now, logCapacity: 4);
        }

        var recent = shard.ReadAfter(7, 100);
        Assert.False(recent.Truncated);
        Assert.Equal([8L, 9, 10], recent.Changes.Select(c => c.Sequence));
        Assert.Equal(10, recent.Head);

        var tooOld = shard.ReadAfter(2, 100);
        Assert.True(tooOld.Truncated);
        Assert.Empty(shard.ReadAfter(10, 100).Changes);
        Assert.False(shard.ReadAfter(10, 100).Truncated);
        Assert.Equal([7L], shard.ReadAfter(6, 1).Changes.Select(c => c.Sequence));
    }

    [Fact]
    public void An_erased_customer_is_forgotten_while_every_log_position_stays_where_it_was()
    {
        var shard = new SegmentShardState();
        shard.Apply("kept", true, 1, Now, 100);
        shard.Apply("erased", true, 1, Now, 100);
        shard.Apply("erased", false, 2, Now, 100);
        shard.Apply("erased", true, 3, Now, 100);

        Assert.True(shard.Forget("erased"));

        Assert.Equal(["kept"], shard.ListAfter(null, 10));
        Assert.DoesNotContain(shard.Log, c => c.CustomerId == "erased");
        Assert.Equal([1L, 2, 3, 4], shard.ReadAfter(0, 10).Changes.Select(c => c.Sequence));
        Assert.Equal([false, true, true, true], shard.ReadAfter(0, 10).Changes.Select(c => c.IsErased));
        // A watcher that had read every blanked change goes on; one that had not could miss that the erased member left,
        // so it must list the members again.
        Assert.False(shard.ReadAfter(4, 10).Truncated);
        Assert.True(shard.ReadAfter(1, 10).Truncated);
        Assert.True(shard.ReadAfter(3, 10).Truncated);
        Assert.False(shard.Forget("erased"));
        // No departure is remembered either: nothing of the customer is left to store.
        Assert.NotNull(shard.Apply("erased", true, 1, Now, 100));
    }

    [Fact]
    public void A_position_past_the_head_is_ahead_never_an_empty_page()
    {
        var shard = new SegmentShardState();
        shard.Open(newEpoch: 7);
        shard.Apply("c1", true, 1, Now, 100);

        Assert.False(shard.ReadAfter(1, 10).Ahead);
        Assert.Empty(shard.ReadAfter(1, 10).Changes);
        Assert.True(shard.ReadAfter(2, 10).Ahead);
        Assert.Equal(7, shard.ReadAfter(0, 10).Epoch);
    }

    [Fact]
    public void A_log_keeps_its_epoch_only_when_it_was_closed_cleanly()
    {
        var shard = new SegmentShardState();
        shard.Open(newEpoch: 1);
        Assert.Equal(1, shard.Epoch);

        // Stored open (the silo was killed): the stored head may be behind numbers already handed out.
        shard.Open(newEpoch: 2);
        Assert.Equal(2, shard.Epoch);

        shard.Close();
        shard.Open(newEpoch: 3);
        Assert.Equal(2, shard.Epoch);
        Assert.False(shard.Closed);
    }

    [Fact]
    public void Reconciling_with_the_stored_rows_logs_each_difference_once()
    {
        var shard = new SegmentShardState();
        shard.Apply("stays", true, 1, Now, 100);
        shard.Apply("left-unseen", true, 1, Now, 100);
        var head = shard.Head;

        var logged = shard.Reconcile(new Dictionary<string, long> { ["stays"] = 1, ["joined-unseen"] = 4 }, Now, 100);

        Assert.Equal(2, logged);
        Assert.Equal(["joined-unseen", "stays"], shard.ListAfter(null, 10));
        var changes = shard.ReadAfter(head, 10).Changes;
        Assert.Equal([("left-unseen", false), ("joined-unseen", true)], changes.Select(c => (c.CustomerId, c.Entered)));
        Assert.Equal(0, shard.Reconcile(new Dictionary<string, long> { ["stays"] = 1, ["joined-unseen"] = 4 }, Now, 100));
    }

    [Fact]
    public void Members_are_listed_in_a_stable_order_page_by_page()
    {
        var shard = new SegmentShardState();
        foreach (var id in new[] { "d", "a", "c", "b", "e" })
        {
            shard.Apply(id, true, 1, Now, 100);
        }

        Assert.Equal(["a", "b"], shard.ListAfter(null, 2));
        Assert.Equal(["c", "d"], shard.ListAfter("b", 2));
        Assert.Equal(["e"], shard.ListAfter("d", 2));
        Assert.Empty(shard.ListAfter("e", 2));
    }

    [Fact]
    public void Clearing_logs_every_departure()
    {
        var shard = new SegmentShardState();
        shard.Apply("a", true, 1, Now, 100);
        shard.Apply("b", true, 1, Now, 100);
        shard.Clear(Now, 100);
        Assert.Equal(0, shard.Count);
        Assert.Equal([false, false], shard.ReadAfter(2, 10).Changes.Select(c => c.Entered));
    }

    [Fact]
    public void Shards_are_stable_and_spread()
    {
        Assert.Equal(SegmentSharding.ShardOf("0192abcd", 16), SegmentSharding.ShardOf("0192abcd", 16));
        var used = Enumerable.Range(0, 2000).Select(i => SegmentSharding.ShardOf(Guid.CreateVersion7().ToString("N"), 16)).Distinct().Count();
        Assert.Equal(16, used);
    }

    [Fact]
    public void The_membership_version_keeps_growing_even_after_a_lost_snapshot()
    {
        var profile = NewProfile();
        profile.SetSegments(["vip"], Now);
        var first = profile.MembershipVersion;
        Assert.True(first >= Now.UtcTicks);
        profile.SetSegments([], Now);
        Assert.True(profile.MembershipVersion > first);
        profile.SetSegments([], Now.AddDays(1));
        Assert.True(profile.MembershipVersion > first, "no change, no new version");
    }
}

public sealed class SegmentTimingTests
{
    private static SegmentDefinition Segment(string id, params SegmentCondition[] conditions) => new(id, id, conditions, 1);

    [Fact]
    public void A_count_in_a_window_ends_when_its_last_event_leaves_the_window()
    {
        var profile = NewProfile();
        profile.Apply(Purchase("e1", "o1", Eur(10m), Now.AddDays(-2)), Now);
        var recentBuyers = Segment("recent", new ExpressionCondition("count(purchase, 7d) >= 1"));
        Assert.True(recentBuyers.Matches(profile, Now));

        var next = SegmentTiming.NextTransition([recentBuyers], profile, Now);

        Assert.NotNull(next);
        Assert.False(recentBuyers.Matches(profile, next!.Value));
        Assert.True(recentBuyers.Matches(profile, next.Value.AddTicks(-1)), "the transition is the first instant it changes, not later");
        // Day windows are aligned to UTC days: the purchase of day D counts in "7d" until the start of day D+7.
        Assert.Equal(new DateTimeOffset(Now.AddDays(-2).Date.AddDays(7), TimeSpan.Zero), next.Value);
    }

    [Fact]
    public void No_purchase_for_90_days_starts_exactly_90_days_after_the_last_purchase()
    {
        var profile = NewProfile();
        var bought = Now.AddDays(-10).AddHours(3);
        profile.Apply(Purchase("e1", "o1", Eur(10m), bought), Now);
        var lapsed = Segment("lapsed", new DaysSinceLastPurchaseCondition(Comparison.GreaterOrEqual, 90));
        Assert.False(lapsed.Matches(profile, Now));

        Assert.Equal(bought.AddDays(90), SegmentTiming.NextTransition([lapsed], profile, Now));
    }

    [Fact]
    public void A_cart_abandoned_without_a_purchase_enters_when_the_hour_window_empties()
    {
        var profile = NewProfile();
        profile.Apply(Product("cart", EventType.AddToCart, "bags", Now.AddMinutes(-30)), Now);
        var abandoned = Segment("abandoned", new ExpressionCondition("count(add_to_cart, 24h) >= 1 and count(add_to_cart, 1h) == 0 and count(purchase, 24h) == 0"));
        Assert.False(abandoned.Matches(profile, Now));

        var next = SegmentTiming.NextTransition([abandoned], profile, Now);

        Assert.NotNull(next);
        Assert.True(abandoned.Matches(profile, next!.Value));
        Assert.InRange(next.Value - Now.AddMinutes(-30), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public void Segments_that_time_cannot_change_need_no_wake_up()
    {
        var profile = NewProfile();
        profile.Apply(Purchase("e1", "o1", Eur(10m), Now.AddDays(-2)), Now);
        var buyers = Segment("buyers", new OrderCountCondition(Comparison.GreaterOrEqual, 1), new ConsentCondition(ContactChannel.Email, ConsentStatus.Granted));
        Assert.False(SegmentTiming.IsTimeDependent(buyers));
        Assert.Null(SegmentTiming.NextTransition([buyers], profile, Now));
        Assert.True(SegmentTiming.IsTimeDependent(Segment("x", new ExpressionCondition("days_since(last_purchase) > 30"))));
        Assert.False(SegmentTiming.IsTimeDependent(Segment("y", new ExpressionCondition("orders >= 3"))));
    }

    [Fact]
    public void A_churn_risk_segment_is_entered_with_time_alone_on_the_day_the_risk_crosses_its_threshold()
    {
        var profile = NewProfile();
        for (var i = 0; i < 4; i++)
        {
            profile.Apply(Purchase($"e{i}", $"o{i}", Eur(40m), Now.AddDays(-100 + (i * 30)).AddHours(2)), Now);
        }

        var atRisk = Segment("at-risk", new ExpressionCondition("churn_risk >= 0.5"));
        Assert.True(SegmentTiming.IsTimeDependent(atRisk));
        Assert.False(atRisk.Matches(profile, Now));

        var next = SegmentTiming.NextTransition([atRisk], profile, Now);

        Assert.NotNull(next);
        Assert.True(atRisk.Matches(profile, next!.Value));
        Assert.False(atRisk.Matches(profile, next.Value.AddTicks(-1)), "the wake-up is the first instant the risk crosses, not later");
    }

    [Fact]
    public void Without_a_transition_in_sight_the_customer_is_checked_again_at_the_horizon()
    {
        var profile = NewProfile();
        profile.Apply(PageView("e1", Now.AddMinutes(-5)), Now);
        var neverBought = Segment("lapsed", new DaysSinceLastPurchaseCondition(Comparison.Greater, 30));
        Assert.Equal(Now + SegmentTiming.Horizon, SegmentTiming.NextTransition([neverBought], profile, Now));
    }
}
