using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>Activation reads: website personalisation and respectful contact.</summary>
[Collection(EngineCollection.Name)]
public sealed class ActivationTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private static Event MessageSent(Identifier who, ContactChannel channel, DateTimeOffset at, string? eventId = null)
    {
        var e = Event(EventType.PageView, at, who);
        e.Type = EventType.MessageSent;
        e.MessageSent = new MessageSent { Channel = channel, Campaign = "spring-sale" };
        if (eventId is not null)
        {
            e.EventId = eventId;
        }

        return e;
    }

    /// <summary>The cookie banner's answer: personalization, for every channel.</summary>
    private static Consent Personalization(ConsentStatus status, DateTimeOffset at) =>
        new() { Purpose = ConsentPurpose.Personalization, Status = status, DecidedAt = Ts(at), Source = "cookie-banner", WordingVersion = "banner-v3" };

    [Fact]
    public async Task An_anonymous_visitor_who_accepted_personalization_gets_segments_scores_affinities_and_consents_in_one_call()
    {
        var device = Anonymous();
        var view = Event(EventType.ProductView, Now().AddDays(-20), device);
        view.ProductView = new ProductView { Sku = "SKU-OLD", Category = "shoes" };
        var cart = Event(EventType.AddToCart, Now().AddMinutes(-5), device);
        cart.AddToCart = new CartChange { Sku = "SKU-NEW", Category = "bags", Quantity = 1 };
        await Profiles.TrackAsync(new TrackRequest { Event = view });
        var customerId = (await Profiles.TrackAsync(new TrackRequest { Event = cart })).CustomerId;
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { device }, Traits = new ProfileTraits { Consents = { Personalization(ConsentStatus.Granted, Now().AddMinutes(-6)) } } });

        var page = await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = device });

        Assert.Equal(customerId, page.CustomerId);
        Assert.True(page.Personalized);
        Assert.Equal(["bags", "shoes"], page.TopCategories.Select(c => c.Key));
        Assert.Equal(["SKU-NEW", "SKU-OLD"], page.TopProducts.Select(p => p.Key));
        Assert.True(page.TopCategories[0].Score > page.TopCategories[1].Score);
        Assert.NotNull(page.Scores);
        Assert.Equal(ConsentPurpose.Personalization, Assert.Single(page.Consents).Purpose);
    }

    [Fact]
    public async Task Without_consent_to_personalization_the_page_gets_nothing_personal_and_says_why()
    {
        var device = Anonymous();
        var view = Event(EventType.ProductView, Now().AddHours(-1), device);
        view.ProductView = new ProductView { Sku = "SKU-SECRET", Category = "lingerie" };
        await Profiles.TrackAsync(new TrackRequest { Event = view });

        var never = await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = device });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { device }, Traits = new ProfileTraits { Consents = { Personalization(ConsentStatus.Granted, Now().AddMinutes(-30)) } } });
        var granted = await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = device });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { device }, Traits = new ProfileTraits { Consents = { Personalization(ConsentStatus.Withdrawn, Now().AddMinutes(-1)) } } });
        var withdrawn = await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = device });

        foreach (var (page, because) in new[] { (never, "has not consented"), (withdrawn, "withdrew") })
        {
            Assert.False(page.Personalized);
            Assert.Contains(because, page.NotPersonalizedBecause, StringComparison.Ordinal);
            Assert.Empty(page.TopCategories);
            Assert.Empty(page.TopProducts);
            Assert.Empty(page.SegmentIds);
            Assert.Null(page.Scores);
        }

        Assert.True(granted.Personalized);
        Assert.Equal("lingerie", Assert.Single(granted.TopCategories).Key);
        Assert.Equal(ConsentStatus.Withdrawn, Assert.Single(withdrawn.Consents).Status);
    }

    [Fact]
    public async Task Affinities_follow_a_merge()
    {
        var device = Anonymous();
        var email = Email("merge-affinity");
        var view = Event(EventType.ProductView, Now().AddHours(-2), device);
        view.ProductView = new ProductView { Sku = "SKU-TENT", Category = "camping" };
        await Profiles.TrackAsync(new TrackRequest { Event = view });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });

        var merged = await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email, device },
            Traits = new ProfileTraits { Consents = { Personalization(ConsentStatus.Granted, Now().AddMinutes(-1)) } },
        });

        Assert.NotEmpty(merged.MergedCustomerIds);
        var page = await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = email });
        Assert.Equal(merged.CustomerId, page.CustomerId);
        Assert.Contains(page.TopCategories, c => c.Key == "camping");
    }

    [Fact]
    public async Task Contact_needs_consent_and_respects_the_frequency_cap()
    {
        var who = Loyalty();
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { who },
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-10)) } },
        });

        var sms = await Profiles.CanContactAsync(new CanContactRequest { Identifier = who, Channel = ContactChannel.Sms });
        Assert.False(sms.Allowed);
        Assert.Equal(ContactDecision.Types.Verdict.NoConsent, sms.Verdict);
        Assert.True((await Profiles.CanContactAsync(new CanContactRequest { Identifier = who, Channel = ContactChannel.Post })).Allowed);

        var first = MessageSent(who, ContactChannel.Email, Now().AddDays(-2));
        await Profiles.TrackAsync(new TrackRequest { Event = first });
        // A retried send is not counted twice.
        Assert.Equal(TrackOutcome.Duplicate, (await Profiles.TrackAsync(new TrackRequest { Event = first })).Outcome);
        await Profiles.TrackAsync(new TrackRequest { Event = MessageSent(who, ContactChannel.Email, Now().AddDays(-1)) });

        var stillAllowed = await Profiles.CanContactAsync(new CanContactRequest { Identifier = who, Channel = ContactChannel.Email });
        Assert.True(stillAllowed.Allowed);
        Assert.Equal(2, stillAllowed.SentInWindow);
        Assert.Equal(3, stillAllowed.MaxMessages);

        await Profiles.TrackAsync(new TrackRequest { Event = MessageSent(who, ContactChannel.Email, Now().AddMinutes(-1)) });
        var capped = await Profiles.CanContactAsync(new CanContactRequest { Identifier = who, Channel = ContactChannel.Email });
        Assert.False(capped.Allowed);
        Assert.Equal(ContactDecision.Types.Verdict.FrequencyCapped, capped.Verdict);
        Assert.Equal(CounterWindow._7D, capped.Window);
        Assert.True(capped.NextAllowedAt.ToDateTimeOffset() > Now());
    }

    [Fact]
    public async Task Unknown_and_malformed_requests_are_refused()
    {
        await RpcAssert.NotFound(() => Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = Anonymous() }).ResponseAsync);
        await RpcAssert.NotFound(() => Profiles.CanContactAsync(new CanContactRequest { Identifier = Loyalty(), Channel = ContactChannel.Email }).ResponseAsync);
        await RpcAssert.InvalidArgument(() => Profiles.GetPersonalizationAsync(new GetPersonalizationRequest()).ResponseAsync, "identifier");
        await RpcAssert.InvalidArgument(() => Profiles.CanContactAsync(new CanContactRequest { Identifier = Email("x") }).ResponseAsync, "channel");
        await RpcAssert.InvalidArgument(() => Profiles.CanContactAsync(new CanContactRequest { Identifier = Email("x"), Channel = (ContactChannel)42 }).ResponseAsync, "channel");

        var noChannel = MessageSent(Loyalty(), ContactChannel.Unspecified, Now());
        await RpcAssert.InvalidArgument(() => Profiles.TrackAsync(new TrackRequest { Event = noChannel }).ResponseAsync, "event.message_sent.channel");
    }
}
