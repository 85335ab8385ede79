using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;
using ApiChannel = ProfileGrains.Protos.V1.Channel;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class LookupTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    [Fact]
    public async Task Lookup_by_phone_email_or_loyalty_id_returns_the_checkout_summary()
    {
        var email = Email("till");
        var phone = FrenchMobile();
        var loyalty = Loyalty();
        var emailDecision = Now().AddDays(-30);
        var smsDecision = Now().AddDays(-1);
        var customerId = (await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email, Phone(phone.International), loyalty },
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = "Chloé", FamilyName = "Martin" },
                LoyaltyTier = "platinum",
                Consents =
                {
                    Consent(ContactChannel.Sms, ConsentStatus.Denied, smsDecision, "store-0042"),
                    Consent(ContactChannel.Email, ConsentStatus.Granted, emailDecision),
                },
            },
        })).CustomerId;
        var lastAt = Now().AddDays(-1);
        await Client.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 12.30m, Now().AddDays(-4), channel: ApiChannel.Store, storeId: "store-0042") });
        await Client.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 7.70m, lastAt, channel: ApiChannel.Store, storeId: "store-0042") });
        await Client.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 15m, Now().AddDays(-2), currency: "GBP") });

        var byPhone = await Client.LookupAsync(new LookupRequest { Identifier = Phone(phone.National) });
        var byEmail = await Client.LookupAsync(new LookupRequest { Identifier = Id(IdentifierType.Email, " " + email.Value.ToUpperInvariant()) });
        var byLoyalty = await Client.LookupAsync(new LookupRequest { Identifier = loyalty });

        Assert.Equal(customerId, byPhone.CustomerId);
        Assert.Equal("Chloé", byPhone.Name.GivenName);
        Assert.Equal("Martin", byPhone.Name.FamilyName);
        Assert.Equal(loyalty.Value, byPhone.LoyaltyId);
        Assert.Equal("platinum", byPhone.LoyaltyTier);
        Assert.Equal(2, byPhone.Consents.Count);
        var emailConsent = Assert.Single(byPhone.Consents, c => c.Channel == ContactChannel.Email);
        Assert.Equal(ConsentStatus.Granted, emailConsent.Status);
        Assert.Equal(Ts(emailDecision), emailConsent.DecidedAt);
        var smsConsent = Assert.Single(byPhone.Consents, c => c.Channel == ContactChannel.Sms);
        Assert.Equal(ConsentStatus.Denied, smsConsent.Status);
        Assert.Equal("store-0042", smsConsent.Source);
        Assert.Equal(Ts(lastAt), byPhone.LastPurchaseAt);
        Assert.Equal(7.70m, Amount(byPhone.LastPurchaseTotal));
        Assert.Equal(3, byPhone.OrderCount);
        Assert.Equal(20.00m, Spend(byPhone.LifetimeSpend, "EUR"));
        Assert.Equal(15.00m, Spend(byPhone.LifetimeSpend, "GBP"));
        Assert.Equal("store-0042", byPhone.PreferredStoreId);
        Assert.Equal(byPhone, byEmail);
        Assert.Equal(byPhone, byLoyalty);
    }

    [Fact]
    public async Task The_till_sees_value_risk_favourite_categories_and_a_next_offer_in_a_category_browsed_but_not_bought()
    {
        var loyalty = Loyalty();
        await Client.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 180m, Now().AddDays(-40), category: "shoes") });
        await Client.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 60m, Now().AddDays(-3), category: "shoes") });
        foreach (var hours in new[] { 30, 20, 2 })
        {
            var view = Event(EventType.ProductView, Now().AddHours(-hours), loyalty);
            view.ProductView.Category = "handbags";
            await Client.TrackAsync(new TrackRequest { Event = view });
        }

        var checkout = await Client.LookupAsync(new LookupRequest { Identifier = loyalty });
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(loyalty) });

        Assert.Equal(profile.Scores, checkout.Scores);
        Assert.NotEqual("none", checkout.Scores.RfmSegment);
        Assert.True(checkout.Scores.HistoricalValue.Units >= 240);
        Assert.Equal(["shoes", "handbags"], checkout.FavouriteCategories);
        Assert.Equal("handbags", checkout.NextBestCategory);
    }

    [Fact]
    public async Task A_customer_without_purchases_has_an_empty_purchase_summary()
    {
        var email = Email("browser");
        var customerId = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email } })).CustomerId;

        var summary = await Client.LookupAsync(new LookupRequest { Identifier = email });

        Assert.Equal(customerId, summary.CustomerId);
        Assert.Equal(0, summary.OrderCount);
        Assert.Null(summary.LastPurchaseAt);
        Assert.Null(summary.LastPurchaseTotal);
        Assert.Empty(summary.LifetimeSpend);
        Assert.Equal(string.Empty, summary.LoyaltyId);
        Assert.Equal(string.Empty, summary.PreferredStoreId);
    }

    [Fact]
    public async Task An_unknown_identifier_is_not_found()
    {
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = Phone(FrenchMobile().National) }).ResponseAsync);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = Email("nobody") }).ResponseAsync);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = Loyalty() }).ResponseAsync);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = Crm() }).ResponseAsync);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("not a phone")]
    [InlineData("+33 1")]
    [InlineData("06 12 34 56 78 90 12")]
    public async Task An_invalid_phone_is_rejected(string phone)
    {
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.LookupAsync(new LookupRequest { Identifier = Phone(phone) }).ResponseAsync, "identifier.value");
    }

    [Fact]
    public async Task A_lookup_without_a_usable_identifier_is_rejected()
    {
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.LookupAsync(new LookupRequest()).ResponseAsync, "identifier");
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.LookupAsync(new LookupRequest { Identifier = new Identifier { Value = "x" } }).ResponseAsync, "identifier.type");
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.LookupAsync(new LookupRequest { Identifier = Id(IdentifierType.Email, "") }).ResponseAsync, "identifier.value");
    }
}
