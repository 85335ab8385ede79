using System.Text.RegularExpressions;
using ProfileGrains.Browser.Tests.Infrastructure;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Browser.Tests;

/// <summary>The demo shop told to the real engine: an anonymous visitor browses, carts, logs in, is recognised, buys.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StorefrontTests(BrowserEngine engine) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => engine.CloseContextsAsync();

    [Fact]
    public async Task An_anonymous_visitor_who_logs_in_is_stitched_to_their_email_and_personalized()
    {
        var page = await engine.OpenAsync("/shop/");
        await Expect(page.Locator("#banner-text")).ToHaveTextAsync(new Regex("Welcome"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Personalize my visits" }).ClickAsync();

        // Browsing yoga, then carting the mat: the engine's view of the visitor, by their device id alone.
        await page.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "View: Yoga mat" }).ClickAsync();
        await page.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "View: Cork yoga block" }).ClickAsync();
        await page.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "Add to cart: Yoga mat" }).ClickAsync();
        await Expect(page.Locator("#banner-text")).ToHaveTextAsync("Still thinking about your 1 item(s)? They are waiting in your cart.");
        await Expect(page.Locator("#recommendations")).ToContainTextAsync("Cork yoga block");
        var anonymousId = await page.EvaluateAsync<string>("localStorage.getItem('shop.anonymousId')");

        // Logging in links the device to the e-mail: one customer, the cart and the views with it.
        var email = $"shopper.{Guid.NewGuid():N}@client-mail.fr";
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("send me offers by e-mail").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator("#visitor-status")).ToContainTextAsync($"Logged in as {email}");
        await Expect(page.Locator("#login")).ToBeHiddenAsync();
        var known = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = TestData.ByIdentifier(TestData.Id(IdentifierType.Email, email)) });
        var byDevice = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = TestData.ByIdentifier(TestData.Id(IdentifierType.AnonymousId, anonymousId)) });
        Assert.Equal(known.CustomerId, byDevice.CustomerId);
        Assert.Equal(1, known.Activity.Cart.ItemCount);
        Assert.Contains(known.Traits.Consents, c => c.Channel == ContactChannel.Email && c.Status == ConsentStatus.Granted);
        await PageEvidence.ScreenshotAsync(page, "shop");
        await PageEvidence.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Check out" }).ClickAsync();
        await Expect(page.Locator("#order-confirmed")).ToContainTextAsync("paid 34.00 EUR");
        var after = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = TestData.ById(known.CustomerId) });
        Assert.Equal(1, after.Transactions.OrderCount);
        Assert.Equal(0, after.Activity.Cart.ItemCount);
        Assert.Equal(34m, TestData.Amount(after.Transactions.TotalSpend.Single()));
    }

    [Fact]
    public async Task The_console_shows_the_shoppers_cart_segment_filling_and_emptying_as_the_shop_is_used()
    {
        var segmentId = $"carts-{Guid.NewGuid():N}"[..20];
        await engine.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = new Segment { SegmentId = segmentId, Name = "Open carts", Rule = new SegmentRule { AllOf = { new Condition { Expression = "cart_items >= 1" } } } } });
        var console = await engine.OpenAsync($"/console/#/segments/{segmentId}");
        await Expect(console.Locator("#live-feed[data-stream=open]")).ToHaveCountAsync(1);

        var shop = await engine.OpenAsync("/shop/");
        await shop.GetByRole(AriaRole.Button, new() { Name = "Personalize my visits" }).ClickAsync();
        await shop.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "Add to cart: Camping stove" }).ClickAsync();
        await Expect(shop.Locator("#cart-lines")).ToContainTextAsync("Camping stove");
        var anonymousId = await shop.EvaluateAsync<string>("localStorage.getItem('shop.anonymousId')");
        var shopper = (await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = TestData.ByIdentifier(TestData.Id(IdentifierType.AnonymousId, anonymousId)) })).CustomerId;

        // The console, open beside the shop, sees the visitor enter the segment with the cart and leave it at checkout.
        await Expect(console.Locator("#live-feed li.entered")).ToContainTextAsync(shopper);
        await shop.GetByRole(AriaRole.Button, new() { Name = "Check out" }).ClickAsync();
        await Expect(shop.Locator("#order-confirmed")).ToBeVisibleAsync();
        await Expect(console.Locator("#live-feed li.exited")).ToContainTextAsync(shopper);
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_shop_works_without_sideways_scrolling()
    {
        var page = await engine.OpenAsync("/shop/", width: 390, height: 844);
        await page.GetByRole(AriaRole.Button, new() { Name = "Personalize my visits" }).ClickAsync();
        await page.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "Add to cart: Bike light set" }).ClickAsync();
        await Expect(page.Locator("#cart-lines")).ToContainTextAsync("Bike light set");
        await PageEvidence.AssertNoSidewaysScrollingAsync(page);
        await PageEvidence.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_visitor_who_refuses_personalization_is_not_personalized_and_is_told_so()
    {
        var page = await engine.OpenAsync("/shop/");
        await page.GetByRole(AriaRole.Button, new() { Name = "No, thanks" }).ClickAsync();
        await page.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "View: Two-person tent" }).ClickAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("Not personalized");
        await Expect(page.Locator("#recommendations")).ToContainTextAsync("need your consent");
    }

    [Fact]
    public async Task A_refused_event_shows_the_engines_reason_instead_of_failing_silently()
    {
        var page = await engine.OpenAsync("/shop/");
        // A device id longer than the engine accepts: the engine refuses the event, the page says which field and why.
        await page.EvaluateAsync("localStorage.setItem('shop.anonymousId', 'anon-' + 'x'.repeat(5000))");
        await page.ReloadAsync();
        await page.Locator("#products").GetByRole(AriaRole.Button, new() { Name = "View: Yoga mat" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).ToContainTextAsync("identifiers");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
