using ProfileGrains.Browser.Tests.Infrastructure;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Browser.Tests;

/// <summary>The till: a customer looked up at checkout by phone or loyalty card, a store sale rung up for them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TillTests(BrowserEngine engine) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => engine.CloseContextsAsync();

    [Fact]
    public async Task The_till_finds_a_customer_by_loyalty_card_and_shows_value_risk_and_consents_then_records_a_sale()
    {
        var (loyalty, phone) = await RegularCustomer("Camille", "Martin");
        var page = await engine.OpenAsync("/till/");
        await page.GetByLabel("Look up by").SelectOptionAsync("IDENTIFIER_TYPE_LOYALTY_ID");
        await page.GetByLabel("Number, card or address").FillAsync(loyalty.Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();

        await Assertions.Expect(page.Locator("#till-name")).ToHaveTextAsync("Camille Martin");
        await Assertions.Expect(page.Locator("#till-consents")).ToContainTextAsync("email / marketing: granted");
        await Assertions.Expect(page.Locator("#till-consents")).ToContainTextAsync("sms / marketing: denied");
        var before = await engine.Profiles.LookupAsync(new LookupRequest { Identifier = phone });
        await Assertions.Expect(page.Locator("#till-value")).ToContainTextAsync(before.Scores.ValueTier);
        await PageEvidence.ScreenshotAsync(page, "till");
        await PageEvidence.AssertAccessibleAsync(page);

        await page.GetByLabel("Amount (EUR)").FillAsync("42.50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record sale" }).ClickAsync();
        await Assertions.Expect(page.Locator("#sale-result")).ToContainTextAsync("42.50 EUR recorded");
        var after = await engine.Profiles.LookupAsync(new LookupRequest { Identifier = phone });
        Assert.Equal(before.OrderCount + 1, after.OrderCount);
        Assert.Equal(42.50m, TestData.Amount(after.LastPurchaseTotal));
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_till_looks_up_by_phone_number_without_sideways_scrolling()
    {
        var (_, phone) = await RegularCustomer("Jules", "Bernard");
        var page = await engine.OpenAsync("/till/", width: 390, height: 844);
        await page.GetByLabel("Number, card or address").FillAsync(phone.Value);
        await page.GetByLabel("Number, card or address").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#till-name")).ToHaveTextAsync("Jules Bernard");
        await PageEvidence.AssertNoSidewaysScrollingAsync(page);
        await PageEvidence.ScreenshotAsync(page, "till-phone");
    }

    [Fact]
    public async Task An_unknown_card_gets_a_message_not_a_blank_page()
    {
        var page = await engine.OpenAsync("/till/");
        await page.GetByLabel("Look up by").SelectOptionAsync("IDENTIFIER_TYPE_LOYALTY_ID");
        await page.GetByLabel("Number, card or address").FillAsync("NO-SUCH-CARD-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No customer with this identifier");
    }

    private async Task<(Identifier Loyalty, Identifier Phone)> RegularCustomer(string given, string family)
    {
        var loyalty = TestData.Loyalty();
        var phone = TestData.Phone(TestData.FrenchMobile().E164);
        var now = TestData.Now();
        var request = new IdentifyRequest
        {
            Identifiers = { loyalty, phone, TestData.Email() },
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = given, FamilyName = family },
                Consents =
                {
                    TestData.Consent(ContactChannel.Email, ConsentStatus.Granted, now.AddDays(-30), "store-signup"),
                    TestData.Consent(ContactChannel.Sms, ConsentStatus.Denied, now.AddDays(-30), "store-signup"),
                },
            },
        };
        await engine.CreateCustomerAsync(request);
        foreach (var daysAgo in new[] { 200, 90, 20 })
        {
            await engine.Profiles.TrackAsync(new TrackRequest { Event = TestData.Purchase(loyalty, 60m + daysAgo, now.AddDays(-daysAgo), channel: Channel.Store, storeId: "store-0001", category: "running") });
        }

        return (loyalty, phone);
    }
}
