using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>GetTimeline: every exchange with what it carried, newest first, through real gRPC.</summary>
[Collection(EngineCollection.Name)]
public sealed class TimelineTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    /// <summary>An event as the timeline gives it back: as tracked, less its identifiers.</summary>
    private static Event AsKept(Event sent)
    {
        var kept = sent.Clone();
        kept.Identifiers.Clear();
        return kept;
    }

    [Fact]
    public async Task Every_exchange_comes_back_with_its_payload_newest_first_whatever_order_it_arrived_in()
    {
        var email = Email("timeline");
        var start = Now().AddHours(-12);
        var types = new[] { EventType.Purchase, EventType.ProductView, EventType.PageView, EventType.AddToCart, EventType.RemoveFromCart, EventType.StoreVisit, EventType.EmailOpen, EventType.EmailClick, EventType.SupportContact, EventType.Satisfaction, EventType.Review, EventType.Custom };
        var sent = types.Select((type, i) => Event(type, start.AddMinutes(i), email)).ToList();
        sent.Add(new Event { EventId = Unique("evt"), Type = EventType.MessageSent, OccurredAt = Ts(start.AddMinutes(20)), Channel = Channel.Email, Identifiers = { email }, MessageSent = new MessageSent { Channel = ContactChannel.Email, Campaign = "spring" } });

        // Arrive shuffled; the timeline is in the order they happened.
        foreach (var e in sent.OrderBy(_ => Random.Shared.Next()))
        {
            await Profiles.TrackAsync(new TrackRequest { Event = e });
        }

        await Profiles.TrackAsync(new TrackRequest { Event = sent[0] }); // a retry is kept once

        var timeline = await Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(email), PageSize = 100 });
        Assert.Equal(sent.AsEnumerable().Reverse().Select(AsKept), timeline.Entries);
        Assert.Empty(timeline.NextPageToken);

        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(email) });
        Assert.Equal(timeline.Entries, export.Timeline);
    }

    [Fact]
    public async Task Pages_and_filters_walk_the_timeline_without_gaps_and_a_merge_brings_both_records_together()
    {
        var (email, device) = (Email("timeline-pages"), Anonymous());
        var start = Now().AddHours(-6);
        var views = Enumerable.Range(0, 7).Select(i => Event(EventType.PageView, start.AddMinutes(i), email)).ToList();
        var clicks = Enumerable.Range(0, 3).Select(i => Event(EventType.EmailClick, start.AddMinutes(i).AddSeconds(30), email)).ToList();
        foreach (var e in views.Concat(clicks))
        {
            await Profiles.TrackAsync(new TrackRequest { Event = e });
        }

        var walked = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(email), EventTypes = { EventType.PageView }, PageSize = 3, PageToken = token });
            Assert.InRange(page.Entries.Count, 1, 3);
            walked.AddRange(page.Entries.Select(e => e.EventId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        Assert.Equal(views.AsEnumerable().Reverse().Select(e => e.EventId), walked);

        var byEmail = await Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(email), Channels = { Channel.Web }, EventTypes = { EventType.EmailClick } });
        Assert.Equal(clicks.AsEnumerable().Reverse().Select(e => e.EventId), byEmail.Entries.Select(e => e.EventId));

        // The browsing of an anonymous visitor joins when they sign in.
        var browsing = Event(EventType.ProductView, start.AddMinutes(3).AddSeconds(10), device);
        await Profiles.TrackAsync(new TrackRequest { Event = browsing });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, device } });
        var merged = await Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(device), PageSize = 100 });
        Assert.Equal(11, merged.Entries.Count);
        Assert.Contains(merged.Entries, e => e.EventId == browsing.EventId);

        await RpcAssert.InvalidArgumentOnlyOn(
            () => Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(email), PageToken = "not-a-token" }).ResponseAsync,
            "page_token");
        await RpcAssert.InvalidArgumentOnlyOn(
            () => Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(email), PageSize = 501 }).ResponseAsync,
            "page_size");
        await RpcAssert.NotFound(() => Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(Email("timeline-nobody")) }).ResponseAsync);
    }
}
