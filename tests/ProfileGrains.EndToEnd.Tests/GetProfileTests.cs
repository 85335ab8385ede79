using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;
using ApiChannel = ProfileGrains.Protos.V1.Channel;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class GetProfileTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    [Fact]
    public async Task A_profile_carries_its_scores()
    {
        var buyer = Email("scored");
        var now = DateTimeOffset.UtcNow;
        await Client.TrackAsync(new TrackRequest { Event = Purchase(buyer, 120m, now.AddDays(-40)) });
        await Client.TrackAsync(new TrackRequest { Event = Purchase(buyer, 80m, now.AddDays(-10), channel: ApiChannel.Store, storeId: "paris-01") });
        var browser = Email("browsing-only");
        await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, browser) });

        var scored = (await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(buyer) })).Scores;
        var unscored = (await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(browser) })).Scores;

        Assert.Equal(5, scored.Recency);
        Assert.Equal(2, scored.Frequency);
        Assert.Equal("omnichannel", scored.ChannelMix);
        Assert.Equal("potential_loyalist", scored.RfmSegment);
        Assert.Equal(200, scored.HistoricalValue.Units);
        Assert.InRange(scored.ChurnRisk, 0, 0.5);
        Assert.Equal("none", unscored.RfmSegment);
        Assert.Equal(0, unscored.Recency);
        Assert.True(unscored.Engagement > 0);
    }

    [Fact]
    public async Task A_profile_reads_the_same_by_customer_id_and_by_any_identifier()
    {
        var email = Email("read");
        var phone = FrenchMobile();
        var identify = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email, Phone(phone.National) },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "Rita" }, Occupation = "nurse" },
        });
        await Client.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, email) });

        var byId = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(identify.CustomerId) });
        var byEmail = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Id(IdentifierType.Email, email.Value.ToUpperInvariant())) });
        var byPhone = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Phone(phone.International)) });

        Assert.Equal(identify.CustomerId, byId.CustomerId);
        Assert.Equal("Rita", byId.Traits.Name.GivenName);
        Assert.Equal("nurse", byId.Traits.Occupation);
        Assert.Equal(1, Count(byId, EventType.ProductView, CounterWindow.Lifetime));
        Assert.Equal(byId.CustomerId, byEmail.CustomerId);
        Assert.Equal(byId.Traits, byEmail.Traits);
        Assert.Equal(byId.Identifiers, byEmail.Identifiers);
        Assert.Equal(byId.CustomerId, byPhone.CustomerId);
        Assert.True(byId.UpdatedAt.ToDateTimeOffset() >= byId.CreatedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task An_unknown_customer_is_not_found()
    {
        await RpcAssert.NotFound(() => Client.GetProfileAsync(new GetProfileRequest { Customer = ById(Guid.NewGuid().ToString("N")) }).ResponseAsync);
        await RpcAssert.NotFound(() => Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Email("ghost")) }).ResponseAsync);
        await RpcAssert.NotFound(() => Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Phone(FrenchMobile().National)) }).ResponseAsync);
    }

    [Fact]
    public async Task Reading_an_unknown_customer_does_not_create_it()
    {
        var loyalty = Loyalty();
        await RpcAssert.NotFound(() => Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(loyalty) }).ResponseAsync);

        var identify = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { loyalty } });

        Assert.True(identify.Created);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("customer/1")]
    [InlineData("é")]
    [InlineData("LONG")]
    public async Task A_malformed_customer_id_is_rejected(string customerId)
    {
        if (customerId == "LONG")
        {
            customerId = new string('a', 100);
        }

        await RpcAssert.InvalidArgumentOnlyOn(
            () => Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) }).ResponseAsync,
            "customer.customer_id");
    }

    [Fact]
    public async Task A_64_character_customer_id_is_well_formed()
    {
        await RpcAssert.NotFound(() => Client.GetProfileAsync(new GetProfileRequest { Customer = ById(new string('a', 64)) }).ResponseAsync);
    }

    [Fact]
    public async Task An_empty_customer_reference_is_rejected()
    {
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.GetProfileAsync(new GetProfileRequest()).ResponseAsync, "customer");
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.GetProfileAsync(new GetProfileRequest { Customer = new CustomerRef() }).ResponseAsync, "customer");
    }

    [Fact]
    public async Task A_malformed_identifier_reference_is_rejected()
    {
        await RpcAssert.InvalidArgument(
            () => Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(Id(IdentifierType.Email, "nobody")) }).ResponseAsync,
            "customer.identifier.value");
        await RpcAssert.InvalidArgument(
            () => Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(new Identifier { Value = "x" }) }).ResponseAsync,
            "customer.identifier.type");
    }

    [Fact]
    public async Task The_transaction_summary_aggregates_purchases_including_one_arriving_out_of_order()
    {
        var loyalty = Loyalty();
        var customerId = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { loyalty } })).CustomerId;
        var now = Now();
        var oldest = now.AddDays(-10);
        var latest = now.AddDays(-2);
        var purchases = new[]
        {
            Purchase(loyalty, 100.00m, oldest, channel: ApiChannel.Store, storeId: "store-1", category: "shoes"),
            Purchase(loyalty, 50.50m, latest, channel: ApiChannel.Web, category: "bags"),
            // Arrives after the latest one but happened before it.
            Purchase(loyalty, 30.00m, now.AddDays(-5), channel: ApiChannel.Store, storeId: "store-1", category: "shoes"),
            Purchase(loyalty, 20.00m, now.AddDays(-3), currency: "USD", channel: ApiChannel.Store, storeId: "store-2", category: "hats"),
        };
        foreach (var purchase in purchases)
        {
            Assert.Equal(TrackOutcome.Accepted, (await Client.TrackAsync(new TrackRequest { Event = purchase })).Outcome);
        }

        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
        var t = profile.Transactions;

        Assert.Equal(4, t.OrderCount);
        Assert.Equal(Ts(oldest), t.FirstPurchaseAt);
        Assert.Equal(Ts(latest), t.LastPurchaseAt);
        Assert.Equal(["EUR", "USD"], t.TotalSpend.Select(m => m.CurrencyCode));
        Assert.Equal(180.50m, Spend(t.TotalSpend, "EUR"));
        Assert.Equal(20.00m, Spend(t.TotalSpend, "USD"));
        Assert.Equal(60.17m, Spend(t.AverageBasket, "EUR"));
        Assert.Equal(20.00m, Spend(t.AverageBasket, "USD"));
        Assert.Equal("store-1", t.PreferredStoreId);

        var store = Assert.Single(t.ByChannel, c => c.Channel == ApiChannel.Store);
        Assert.Equal(3, store.OrderCount);
        Assert.Equal(130.00m, Spend(store.Spend, "EUR"));
        Assert.Equal(20.00m, Spend(store.Spend, "USD"));
        var web = Assert.Single(t.ByChannel, c => c.Channel == ApiChannel.Web);
        Assert.Equal(1, web.OrderCount);
        Assert.Equal(50.50m, Spend(web.Spend, "EUR"));
        Assert.Equal(2, t.ByChannel.Count);

        Assert.Equal(4, Count(profile, EventType.Purchase, CounterWindow.Lifetime));
        Assert.Equal(3, Count(profile, EventType.Purchase, CounterWindow._7D));
        // Two shoe orders outweigh one bag and one hat order (ties break alphabetically).
        Assert.Equal(["shoes", "bags", "hats"], profile.TopCategories);

        // The checkout view agrees: the last purchase is the latest by occurrence, not by arrival.
        var checkout = await Client.LookupAsync(new LookupRequest { Identifier = loyalty });
        Assert.Equal(Ts(latest), checkout.LastPurchaseAt);
        Assert.Equal(50.50m, Amount(checkout.LastPurchaseTotal));
        Assert.Equal("EUR", checkout.LastPurchaseTotal.CurrencyCode);
        Assert.Equal(4, checkout.OrderCount);
        Assert.Equal("store-1", checkout.PreferredStoreId);
    }
}
