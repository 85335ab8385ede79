using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// The whole customer record, end to end through gRPC: a visitor browses, abandons a cart, logs in, gets a campaign,
/// clicks, buys in store and answers an NPS survey with a 3; each step shows in the timeline, the segments, the
/// campaign's indicators and the till's lookup.
/// </summary>
[Collection(StoryEngineCollection.Name)]
public sealed class RetailStoryTests(StoryEngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private DateTimeOffset Now => engine.Clock.GetUtcNow();

    private Event At(Event e, DateTimeOffset occurredAt)
    {
        e.OccurredAt = Timestamp.FromDateTimeOffset(occurredAt);
        return e;
    }

    private async Task Segment(string id, string rule) =>
        await engine.Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment { SegmentId = id, Name = id, Rule = new SegmentRule { AllOf = { new Condition { Expression = rule } } } },
        });

    private async Task<IReadOnlyList<string>> SegmentsOf(Identifier who) =>
        [.. (await engine.Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(who) })).SegmentIds];

    private async Task<bool> Becomes(Identifier who, string segmentId, bool member) =>
        await Eventually(async () => (await SegmentsOf(who)).Contains(segmentId) == member, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Browse_abandon_campaign_click_buy_in_store_and_detract_each_step_visible_everywhere()
    {
        var tag = Unique("story")[6..16];
        var (abandoned, campers, detractors) = ($"abandoned-{tag}", $"campers-{tag}", $"detractors-{tag}");
        var campaign = $"cart-reminder-{tag}";
        await Segment(abandoned, "hours_since(cart_change) >= 4 and cart_value(EUR) >= 100");
        await Segment(campers, "categories_bought(90d) contains \"camping\"");
        await Segment(detractors, "nps_group == \"detractor\"");
        var (device, email) = (Anonymous(), Email("story"));

        // 1. An anonymous visitor browses and fills a cart, then leaves.
        var view = Event(EventType.ProductView, Now.AddMinutes(-3), device);
        view.ProductView = new ProductView { Sku = "TENT-2P", Category = "camping" };
        await Profiles.TrackAsync(new TrackRequest { Event = view });
        var add = Event(EventType.AddToCart, Now.AddMinutes(-2), device);
        add.AddToCart = new CartChange { Sku = "TENT-2P", Category = "camping", Quantity = 1, UnitPrice = Money(120m) };
        var visitor = await Profiles.TrackAsync(new TrackRequest { Event = add });
        Assert.DoesNotContain(abandoned, await SegmentsOf(device));

        // 2. Five hours pass with no event: the cart counts as abandoned.
        engine.Clock.Advance(TimeSpan.FromHours(5));
        Assert.True(await Becomes(device, abandoned, member: true), "the abandoned cart did not enter its segment with time");

        // 3. The visitor logs in: the device and the email are one customer, cart included.
        var login = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, device } });
        Assert.Equal(visitor.CustomerId, login.CustomerId);
        var personalization = await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = email });
        Assert.Equal(["TENT-2P"], personalization.Cart.Lines.Select(l => l.Sku));

        // 4. The cart-reminder campaign reaches them, they open and click.
        var step = 0;
        Event Message(EventType type, Action<Event> payload)
        {
            // One second apart, so the timeline's order is the order they happened in.
            var e = Event(EventType.PageView, Now.AddMinutes(-1).AddSeconds(++step), email);
            e.Type = type;
            e.Channel = Channel.Web;
            payload(e);
            return e;
        }

        var campaignMessage = new MessageSent { Channel = ContactChannel.Email, Campaign = campaign };
        await Profiles.TrackAsync(new TrackRequest { Event = Message(EventType.MessageSent, e => e.MessageSent = campaignMessage) });
        await Profiles.TrackAsync(new TrackRequest { Event = Message(EventType.MessageDelivered, e => e.MessageDelivered = campaignMessage) });
        engine.Clock.Advance(TimeSpan.FromMinutes(30));
        await Profiles.TrackAsync(new TrackRequest { Event = Message(EventType.EmailOpen, e => e.EmailOpen = new EmailInteraction { Campaign = campaign }) });
        await Profiles.TrackAsync(new TrackRequest { Event = Message(EventType.EmailOpen, e => e.EmailOpen = new EmailInteraction { Campaign = campaign }) });
        await Profiles.TrackAsync(new TrackRequest { Event = Message(EventType.EmailClick, e => e.EmailClick = new EmailInteraction { Campaign = campaign }) });

        // 5. Two days later they buy the tent in store: the cart line goes, the campaign converts.
        engine.Clock.Advance(TimeSpan.FromDays(2));
        var purchase = Purchase(email, 120m, Now.AddMinutes(-1), channel: Channel.Store, storeId: "STORE-LYON");
        purchase.Purchase.Items.Add(new LineItem { Sku = "TENT-2P", Category = "camping", Quantity = 1, UnitPrice = Money(120m) });
        purchase.Purchase.PaymentKind = PaymentKind.Card;
        purchase.Purchase.PaymentInstrument = "tok_visa_4242";
        await Profiles.TrackAsync(new TrackRequest { Event = purchase });
        Assert.True(await Becomes(email, abandoned, member: false), "the purchase did not take the customer out of the abandoned carts");
        Assert.Contains(campers, await SegmentsOf(email));

        // 6. They answer the NPS survey with a 3.
        var nps = Event(EventType.Satisfaction, Now, email);
        nps.Satisfaction = new Satisfaction { Score = 3, Comment = "Long queue at the till" };
        await Profiles.TrackAsync(new TrackRequest { Event = nps });
        Assert.Contains(detractors, await SegmentsOf(email));

        // The timeline holds every step, newest first, with its payload.
        var timeline = await Profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ByIdentifier(email), PageSize = 50 });
        Assert.Equal(
            [EventType.Satisfaction, EventType.Purchase, EventType.EmailClick, EventType.EmailOpen, EventType.EmailOpen, EventType.MessageDelivered, EventType.MessageSent, EventType.AddToCart, EventType.ProductView],
            timeline.Entries.Select(e => e.Type));
        Assert.Equal("Long queue at the till", timeline.Entries[0].Satisfaction.Comment);
        Assert.Equal((PaymentKind.Card, "tok_visa_4242"), (timeline.Entries[1].Purchase.PaymentKind, timeline.Entries[1].Purchase.PaymentInstrument));

        // The campaign's indicators: one message, delivered, opened (once), clicked, converted for 120 EUR; and the same
        // among the abandoned carts the customer was in when it reached them.
        var indicators = await engine.Campaigns.GetCampaignAsync(new GetCampaignRequest { Campaign = campaign });
        var t = indicators.Total;
        Assert.Equal((1L, 1L, 1L, 1L, 1L, 0L), (t.Sent, t.Delivered, t.Opened, t.Clicked, t.Converted, t.Unsubscribed));
        Assert.Equal((1.0, 1.0, 1.0), (t.OpenRate, t.ClickRate, t.ConversionRate));
        Assert.Equal(120m, Amount(Assert.Single(t.Revenue)));
        var amongAbandoned = Assert.Single(indicators.BySegment, s => s.SegmentId == abandoned).Figures;
        Assert.Equal((1L, 1L, 1L), (amongAbandoned.Sent, amongAbandoned.Opened, amongAbandoned.Clicked));
        var bySegment = await engine.Campaigns.GetSegmentCampaignsAsync(new GetSegmentCampaignsRequest { SegmentId = abandoned });
        Assert.Equal(campaign, Assert.Single(bySegment.Campaigns).Campaign);
        Assert.Contains((await engine.Campaigns.ListCampaignsAsync(new ListCampaignsRequest())).Campaigns, c => c.Campaign == campaign);

        // The till sees value, risk and the detractor; the profile carries the activity.
        var lookup = await Profiles.LookupAsync(new LookupRequest { Identifier = email });
        Assert.Equal(("detractor", 1L), (lookup.NpsGroup, lookup.OrderCount));
        Assert.Contains("camping", lookup.FavouriteCategories);
        var profile = await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });
        Assert.Empty(profile.Activity.Cart.Lines);
        Assert.Equal(3, profile.Activity.LastSatisfaction);
        var reach = Assert.Single(profile.Activity.Campaigns);
        Assert.True(reach.Sent && reach.Delivered && reach.Opened && reach.Clicked && reach.Converted && !reach.Unsubscribed);
    }

    [Fact]
    public async Task An_unsubscribe_withdraws_email_consent_and_counts_in_the_campaign()
    {
        var email = Email("unsub");
        var campaign = Unique("newsletter");
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-10)) } },
        });
        var sent = Event(EventType.PageView, Now.AddMinutes(-2), email);
        sent.Type = EventType.MessageSent;
        sent.MessageSent = new MessageSent { Channel = ContactChannel.Email, Campaign = campaign };
        await Profiles.TrackAsync(new TrackRequest { Event = sent });
        var unsubscribe = Event(EventType.PageView, Now.AddMinutes(-1), email);
        unsubscribe.Type = EventType.Unsubscribe;
        unsubscribe.Unsubscribe = new MessageSent { Channel = ContactChannel.Email, Campaign = campaign };
        await Profiles.TrackAsync(new TrackRequest { Event = unsubscribe });

        var decision = await Profiles.CanContactAsync(new CanContactRequest { Identifier = email, Channel = ContactChannel.Email });
        Assert.False(decision.Allowed);
        Assert.Equal(("unsubscribe:" + campaign, ConsentStatus.Withdrawn), (decision.ConsentRecord.Source, decision.ConsentRecord.Status));
        var figures = (await engine.Campaigns.GetCampaignAsync(new GetCampaignRequest { Campaign = campaign })).Total;
        Assert.Equal((1L, 1L, 1.0), (figures.Sent, figures.Unsubscribed, figures.UnsubscribeRate));
    }

    [Fact]
    public async Task A_campaign_never_seen_is_not_found_and_a_bad_segment_id_is_refused_by_field()
    {
        await RpcAssert.NotFound(() => engine.Campaigns.GetCampaignAsync(new GetCampaignRequest { Campaign = Unique("never") }).ResponseAsync);
        await RpcAssert.InvalidArgument(() => engine.Campaigns.GetCampaignAsync(new GetCampaignRequest { Campaign = "" }).ResponseAsync, "campaign");
        await RpcAssert.InvalidArgument(() => engine.Campaigns.GetSegmentCampaignsAsync(new GetSegmentCampaignsRequest { SegmentId = "no spaces" }).ResponseAsync, "segment_id");
    }

    [Fact]
    public async Task A_card_number_sent_as_a_payment_instrument_is_refused_counted_as_an_input_error_and_nothing_is_stored()
    {
        var meters = engine.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        long rejectedFromOpen = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "profilegrains.input.rejected")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == "source" && (string?)t.Value == "open") && tags.ToArray().Any(t => t.Key == "rpc" && ((string?)t.Value)?.EndsWith("/Track", StringComparison.Ordinal) == true))
            {
                Interlocked.Add(ref rejectedFromOpen, value);
            }
        });
        listener.Start();

        var email = Email("pan");
        var purchase = Purchase(email, 10m, Now.AddMinutes(-1));
        purchase.Purchase.PaymentInstrument = "4111 1111 1111 1111";
        await RpcAssert.InvalidArgument(() => Profiles.TrackAsync(new TrackRequest { Event = purchase }).ResponseAsync, "event.purchase.payment_instrument");
        await RpcAssert.NotFound(() => Profiles.LookupAsync(new LookupRequest { Identifier = email }).ResponseAsync);
        Assert.True(Interlocked.Read(ref rejectedFromOpen) >= 1, "the refused request was not counted as an input error of its source");
    }

    [Fact]
    public async Task Profiles_are_enriched_on_ingestion_by_built_in_and_plugged_in_enrichers_and_rules_read_them()
    {
        var segmentId = Unique("catchment")[..30];
        await Segment(segmentId, "enriched(\"catchment\") == \"lyon-part-dieu\" and enriched(\"email_kind\") == \"corporate\"");
        var email = new Identifier { Type = IdentifierType.Email, Value = Unique("buyer") + "@acme-industries.fr" };
        var phone = Phone("+44 20 7219 3000");
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });
        Assert.DoesNotContain(segmentId, await SegmentsOf(email));

        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email, phone },
            Traits = new ProfileTraits { Addresses = { new PostalAddress { Lines = { "1 place Charles Béraudier" }, PostalCode = "69003", City = "Lyon", CountryCode = "FR" } } },
        });

        var enrichment = (await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) })).Enrichment;
        Assert.Equal("corporate", enrichment["email_kind"]);
        Assert.Equal("acme-industries.fr", enrichment["email_domain"]);
        Assert.Equal(("GB", "fixed_line", "London"), (enrichment["phone_country"], enrichment["phone_type"], enrichment["phone_region"]));
        Assert.Equal(("69", "Auvergne-Rhône-Alpes"), (enrichment["department"], enrichment["region"]));
        Assert.Equal("lyon-part-dieu", enrichment["catchment"]);
        Assert.Contains(segmentId, await SegmentsOf(email));
    }

    [Fact]
    public async Task A_dated_life_event_is_kept_shown_and_segmented_on_and_a_future_one_is_refused_by_field()
    {
        var segmentId = Unique("movers")[..28];
        await Segment(segmentId, "days_since_life_event(\"moved\") <= 30");
        var email = Email("mover");
        var moved = Now.AddDays(-12);
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Preferences = new Preferences { LifeEventDates = { ["moved"] = new Date { Year = moved.Year, Month = moved.Month, Day = moved.Day } } } },
        });

        var profile = await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });
        Assert.Equal(moved.Day, profile.Traits.Preferences.LifeEventDates["moved"].Day);
        Assert.Contains(segmentId, await SegmentsOf(email));

        var future = Now.AddDays(40);
        var refused = await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Preferences = new Preferences { LifeEventDates = { ["birth"] = new Date { Year = future.Year, Month = future.Month, Day = future.Day } } } },
        });
        Assert.Contains(refused.RejectedTraits, r => r.Field == "traits.preferences.life_event_dates[birth]");
    }
}
