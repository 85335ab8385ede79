using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class TimelineTests
{
    private static readonly IReadOnlySet<EventType> AnyType = new HashSet<EventType>();
    private static readonly IReadOnlySet<Channel> AnyChannel = new HashSet<Channel>();

    private static IReadOnlyList<string> Ids(IEnumerable<TimelineEntry> entries) => [.. entries.Select(e => e.EventId)];

    [Fact]
    public void Exchanges_are_kept_with_their_payloads_in_the_order_they_happened_whatever_order_they_arrived_in()
    {
        var profile = NewProfile();
        var purchase = Purchase("e-buy", "ORD-9", Eur(60m), Now.AddHours(-1), Channel.Store, "STORE-LYON", Item("SKU-7", "shoes", 2, Eur(30m)));
        profile.Apply(PageView("e-late", Now.AddMinutes(-5)), Now);
        profile.Apply(purchase, Now);
        profile.Apply(Event("e-early", EventType.Satisfaction, new ScorePayload(3, null), Now.AddHours(-3)), Now);
        profile.Apply(purchase, Now); // a retry: counted once, kept once

        var (page, more) = profile.Timeline.Read(AnyType, AnyChannel, null, 10, Now, TimelineLimits.Default.MaxAge);

        Assert.Equal(["e-late", "e-buy", "e-early"], Ids(page));
        Assert.False(more);
        Assert.Equal(TimelineCodecTests.Json(purchase.Payload), TimelineCodecTests.Json(page[1].Payload));
        Assert.Equal(Channel.Store, page[1].Channel);
    }

    [Fact]
    public void The_oldest_go_first_beyond_the_count_and_nothing_older_than_the_age_is_kept_or_shown()
    {
        var limits = new TimelineLimits(3, TimeSpan.FromDays(30));
        var profile = NewProfile();
        profile.Apply(PageView("too-old", Now.AddDays(-31)), Now, limits);
        for (var i = 0; i < 5; i++)
        {
            profile.Apply(PageView($"p{i}", Now.AddDays(-20 + i)), Now, limits);
        }

        Assert.Equal(["p2", "p3", "p4"], Ids(profile.Timeline.All()));

        // Thirteen and a half days on, p2 and p3 are past the age: not shown, and dropped at the next record.
        var later = Now.AddDays(13.5);
        Assert.Equal(["p4"], Ids(profile.Timeline.Read(AnyType, AnyChannel, null, 10, later, limits.MaxAge).Page));
        profile.Apply(PageView("p5", later), later, limits);
        Assert.Equal(["p4", "p5"], Ids(profile.Timeline.All()));
    }

    [Fact]
    public void Pages_follow_each_other_without_overlap_and_filters_apply_to_every_page()
    {
        var profile = NewProfile();
        for (var i = 0; i < 7; i++)
        {
            profile.Apply(PageView($"view{i}", Now.AddMinutes(-i)), Now);
            profile.Apply(Event($"click{i}", EventType.EmailClick, new CampaignPayload("c"), Now.AddMinutes(-i), Channel.Email), Now);
        }

        // Same instant for a view and a click: the event id orders them, so a page boundary between them loses nothing.
        var seen = new List<string>();
        (long, string)? before = null;
        bool more;
        do
        {
            (var page, more) = profile.Timeline.Read(new HashSet<EventType> { EventType.PageView, EventType.EmailClick }, AnyChannel, before, 3, Now, TimelineLimits.Default.MaxAge);
            seen.AddRange(page.Select(e => e.EventId));
            before = page.Count > 0 ? (page[^1].OccurredAtTicks, page[^1].EventId) : before;
        }
        while (more);

        Assert.Equal(14, seen.Count);
        Assert.Equal(14, seen.Distinct().Count());
        var emailOnly = profile.Timeline.Read(AnyType, new HashSet<Channel> { Channel.Email }, null, 100, Now, TimelineLimits.Default.MaxAge).Page;
        Assert.All(emailOnly, e => Assert.Equal(EventType.EmailClick, e.Type));
        Assert.Equal(7, emailOnly.Count);
    }

    [Fact]
    public void A_merge_keeps_both_records_exchanges_once_each_in_order()
    {
        var survivor = NewProfile("a");
        var absorbed = NewProfile("b");
        var shared = PageView("shared", Now.AddMinutes(-2));
        survivor.Apply(PageView("a1", Now.AddMinutes(-3)), Now);
        survivor.Apply(shared, Now);
        absorbed.Apply(PageView("b1", Now.AddMinutes(-1)), Now);
        absorbed.Apply(shared, Now);

        survivor.Absorb(absorbed, new MergeRecord("b>a", "b", Now, null, "test"), Now);

        Assert.Equal(["a1", "shared", "b1"], Ids(survivor.Timeline.All()));
    }
}
