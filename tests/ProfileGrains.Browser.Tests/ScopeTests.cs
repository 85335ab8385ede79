using ProfileGrains.Browser.Tests.Infrastructure;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Browser.Tests;

/// <summary>On an engine that requires keys, each page shows what its key may see, and says so for the rest.</summary>
[Collection(KeyedBrowserCollection.Name)]
public sealed class ScopeTests(KeyedBrowserEngine engine) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => engine.CloseContextsAsync();

    private static string Key(string scope) => KeyedBrowserEngine.KeyOfScope[scope];

    private static async Task UseKey(IPage page, string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use" }).ClickAsync();
    }

    [Fact]
    public async Task Without_a_key_the_console_asks_for_one_instead_of_showing_a_blank_page()
    {
        var page = await engine.OpenAsync("/console/");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("needs an API key");
    }

    [Fact]
    public async Task A_till_key_looks_customers_up_but_cannot_open_the_console()
    {
        var loyalty = TestData.Loyalty();
        await engine.CreateCustomerAsync(new IdentifyRequest { Identifiers = { loyalty }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Nina", FamilyName = "Petit" } } }, KeyedBrowserEngine.Bearer(Key("ingest")));

        var till = await engine.OpenAsync("/till/");
        await UseKey(till, Key("lookup"));
        await till.GetByLabel("Look up by").SelectOptionAsync("IDENTIFIER_TYPE_LOYALTY_ID");
        await till.GetByLabel("Number, card or address").FillAsync(loyalty.Value);
        await till.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(till.Locator("#till-name")).ToHaveTextAsync("Nina Petit");

        var console = await engine.OpenAsync("/console/");
        await UseKey(console, Key("lookup"));
        await Assertions.Expect(console.GetByRole(AriaRole.Alert)).ToContainTextAsync("may not");
        await Assertions.Expect(console.Locator("#stat-customers")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_marketing_key_reads_and_writes_segments_but_may_neither_export_nor_erase_a_person()
    {
        var email = TestData.Email("scoped");
        var customerId = await engine.CreateCustomerAsync(new IdentifyRequest { Identifiers = { email }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Hugo", FamilyName = "Moreau" } } }, KeyedBrowserEngine.Bearer(Key("ingest")));

        var page = await engine.OpenAsync("/console/");
        await UseKey(page, KeyedBrowserEngine.MarketingKey);
        await Assertions.Expect(page.Locator("#stat-customers")).ToBeVisibleAsync();

        await page.GotoAsync($"/console/#/customers/{customerId}");
        await Assertions.Expect(page.Locator("#customer-name")).ToHaveTextAsync("Hugo Moreau");
        await page.GetByRole(AriaRole.Button, new() { Name = "Export record" }).ClickAsync();
        await Assertions.Expect(page.Locator("#privacy-result [role=alert]")).ToContainTextAsync("may not");
        page.Dialog += (_, dialog) => dialog.AcceptAsync(customerId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase customer" }).ClickAsync();
        await Assertions.Expect(page.Locator("#privacy-result [role=alert]")).ToContainTextAsync("may not");
        Assert.Equal(customerId, (await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = TestData.ById(customerId) }, KeyedBrowserEngine.Bearer(Key("read")))).CustomerId);
    }

    [Fact]
    public async Task A_read_only_key_sees_segments_but_saving_one_is_refused_with_a_message()
    {
        var page = await engine.OpenAsync("/console/#/segments");
        await UseKey(page, Key("read"));
        await page.GetByLabel("Segment id").FillAsync("read-only-attempt");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Should not be saved");
        await page.GetByLabel("Rule", new() { Exact = true }).FillAsync("count(purchase, lifetime) >= 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#segment-problems")).ToContainTextAsync("may not");
        await PageEvidence.ScreenshotAsync(page, "console-scope-refused");
    }

    [Fact]
    public async Task A_data_protection_key_opens_the_card_and_exports_the_record()
    {
        var email = TestData.Email("privacy");
        var customerId = await engine.CreateCustomerAsync(new IdentifyRequest { Identifiers = { email } }, KeyedBrowserEngine.Bearer(Key("ingest")));
        var page = await engine.OpenAsync("/console/");
        await UseKey(page, KeyedBrowserEngine.DataProtectionKey);
        await page.GotoAsync($"/console/#/customers/{customerId}");
        await Assertions.Expect(page.Locator("#identifiers")).ToContainTextAsync(email.Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Export record" }).ClickAsync();
        await Assertions.Expect(page.Locator("#export-ready")).ToContainTextAsync("Record exported");
    }
}
