using System.Globalization;
using ProfileGrains.Browser.Tests.Infrastructure;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Browser.Tests;

/// <summary>The insight console on an engine in open development mode, the way `dotnet run` starts it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleTests(BrowserEngine engine) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => engine.CloseContextsAsync();

    [Fact]
    public async Task The_overview_shows_the_customer_base_as_the_engine_counts_it()
    {
        for (var i = 0; i < 3; i++)
        {
            var who = TestData.Email("overview");
            await engine.Profiles.TrackAsync(new TrackRequest { Event = TestData.Purchase(who, 120m, TestData.Now().AddDays(-2), channel: Channel.Store, storeId: "store-0001", category: "camping") });
        }

        var base_ = await engine.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest());
        var page = await engine.OpenAsync("/console/");
        await Assertions.Expect(page.Locator("#stat-customers .figure")).ToHaveTextAsync(base_.Customers.ToString("N0", CultureInfo.GetCultureInfo("en-GB")));
        await Assertions.Expect(page.Locator("#sample-note")).ToContainTextAsync("Figures over all");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "RFM grid" })).ToBeVisibleAsync();
        var storeOnly = base_.ChannelMix.Single(c => c.Label == "StoreOnly").Customers;
        Assert.True(storeOnly >= 3);
        await Assertions.Expect(page.Locator("li[data-label='StoreOnly'] .bar-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{storeOnly} \\("));
        await Assertions.Expect(page.Locator("#consent-coverage")).ToContainTextAsync("email");
        await PageEvidence.ScreenshotAsync(page, "console-overview");
        await PageEvidence.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_segment_written_in_the_console_is_checked_estimated_saved_and_fills_live_as_customers_buy()
    {
        var cohort = $"c{Guid.NewGuid():N}"[..12];
        var early = await Cohort(cohort, count: 2);
        var page = await engine.OpenAsync("/console/#/segments");
        var segmentId = $"buyers-{cohort}";
        await page.GetByLabel("Segment id").FillAsync(segmentId);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Buyers of cohort {cohort}");

        // An invalid rule: no estimate, and the editor says what is wrong where.
        await page.GetByLabel("Rule", new() { Exact = true }).FillAsync($"attribute(\"cohort\") == \"{cohort}\" and count(purchase, fortnight) >= 1");
        var problems = page.Locator("#segment-problems");
        await Assertions.Expect(problems).ToBeVisibleAsync();
        await Assertions.Expect(problems).ToContainTextAsync("rule.all_of[0].expression");
        await Assertions.Expect(problems).ToContainTextAsync("fortnight");
        await PageEvidence.ScreenshotAsync(page, "console-rule-error");
        await PageEvidence.AssertAccessibleAsync(page);

        // Corrected: the size before saving is the engine's exact count (few customers: no sampling).
        await page.GetByLabel("Rule", new() { Exact = true }).FillAsync($"attribute(\"cohort\") == \"{cohort}\" and count(purchase, lifetime) >= 1");
        await Assertions.Expect(problems).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#estimate-members")).ToHaveTextAsync("≈ 2 customers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#segment-saved")).ToContainTextAsync("Saved");

        // The back-fill has taken the first two (so none of their entries can reach the feed later), and the page watches.
        Assert.True(await TestData.Eventually(async () =>
            (await engine.Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId })).Backfill.Status == SegmentBackfill.Types.Status.Done));
        await page.GotoAsync($"/console/#/segments/{segmentId}");
        await Assertions.Expect(page.Locator("#live-count")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#live-feed[data-stream=open]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#members li")).ToHaveCountAsync(2);

        // Three more buyers while the page is open: the count and the feed follow, event by event.
        var late = await Cohort(cohort, count: 3);
        await Assertions.Expect(page.Locator("#live-count")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("#live-feed li.entered")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#members li")).ToHaveCountAsync(5);
        foreach (var customerId in late)
        {
            await Assertions.Expect(page.Locator("#live-feed")).ToContainTextAsync(customerId);
        }

        await PageEvidence.ScreenshotAsync(page, "console-segment-live");
        await PageEvidence.AssertAccessibleAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal("customer_id", csv[0]);
        Assert.Equal([.. early.Concat(late).Order(StringComparer.Ordinal)], csv.Skip(1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_customer_card_shows_profile_identity_merges_consents_scores_timeline_and_exports_the_record()
    {
        var email = TestData.Email("card");
        var phone = TestData.Phone(TestData.FrenchMobile().E164);
        var now = TestData.Now();
        // Two records of one person (an online account and a store loyalty phone), then merged by a signup with both.
        await engine.CreateCustomerAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = "Léa", FamilyName = "Rousseau" },
                Consents = { TestData.Consent(ContactChannel.Email, ConsentStatus.Granted, now.AddDays(-40)) },
            },
        });
        await engine.Profiles.TrackAsync(new TrackRequest { Event = TestData.Purchase(email, 75m, now.AddDays(-10), category: "yoga") });
        await engine.Profiles.TrackAsync(new TrackRequest { Event = TestData.Purchase(phone, 30m, now.AddDays(-3), channel: Channel.Store, storeId: "store-0042", category: "running") });
        var merged = await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, phone } });
        Assert.Single(merged.MergedCustomerIds);
        await engine.Profiles.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = TestData.ById(merged.CustomerId),
            Traits = new ProfileTraits { Consents = { TestData.Consent(ContactChannel.Email, ConsentStatus.Withdrawn, now.AddDays(-1), "preference-centre") } },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "consents" } },
        });

        var page = await engine.OpenAsync("/console/#/customers");
        await page.GetByLabel("Find by").SelectOptionAsync("IDENTIFIER_TYPE_PHONE");
        await page.GetByLabel("Value").FillAsync(phone.Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

        await Assertions.Expect(page.Locator("#customer-name")).ToHaveTextAsync("Léa Rousseau");
        await Assertions.Expect(page.Locator("#identifiers")).ToContainTextAsync(email.Value);
        await Assertions.Expect(page.Locator("#scores")).ToContainTextAsync("omnichannel");
        await Assertions.Expect(page.Locator("#consents")).ToContainTextAsync("withdrawn");
        await Assertions.Expect(page.Locator("#timeline tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("store");

        await page.Locator("#identifiers li").Filter(new() { HasText = email.Value }).GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();
        await Assertions.Expect(page.Locator("#identity-explanation")).ToContainTextAsync($"absorbed {merged.MergedCustomerIds[0]}");
        await PageEvidence.ScreenshotAsync(page, "console-customer");
        await PageEvidence.AssertAccessibleAsync(page);

        // Open development mode holds every scope: the record exports, with its consent history.
        await page.GetByRole(AriaRole.Button, new() { Name = "Export record" }).ClickAsync();
        await Assertions.Expect(page.Locator("#export-ready")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#privacy-result")).ToContainTextAsync("preference-centre");
        await Assertions.Expect(page.Locator("#privacy-result")).ToContainTextAsync("granted");
    }

    [Fact]
    public async Task Campaign_indicators_show_each_campaigns_figures_and_rates()
    {
        var campaign = $"winter-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < 4; i++)
        {
            var who = TestData.Email("campaign");
            var sent = new Event
            {
                EventId = TestData.Unique("sent"),
                Type = EventType.MessageSent,
                OccurredAt = TestData.Ts(TestData.Now().AddHours(-2)),
                Channel = Channel.Email,
                Identifiers = { who },
                MessageSent = new MessageSent { Campaign = campaign, Channel = ContactChannel.Email },
            };
            await engine.Profiles.TrackAsync(new TrackRequest { Event = sent });
            if (i == 0)
            {
                var click = TestData.Event(EventType.EmailClick, who);
                click.EmailClick = new EmailInteraction { Campaign = campaign, Channel = ContactChannel.Email };
                await engine.Profiles.TrackAsync(new TrackRequest { Event = click });
            }
        }

        var page = await engine.OpenAsync("/console/#/campaigns");
        var row = page.Locator($"tr[data-campaign='{campaign}']");
        await Assertions.Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("4");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("1");
        var figures = await engine.Campaigns.GetCampaignAsync(new GetCampaignRequest { Campaign = campaign });
        await Assertions.Expect(row.Locator("td").Nth(7)).ToHaveTextAsync($"{(100 * figures.Total.ClickRate).ToString("0.0", CultureInfo.InvariantCulture)} %");
        await PageEvidence.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_console_is_usable_with_the_keyboard_alone()
    {
        var page = await engine.OpenAsync("/console/");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator(".skip")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Segments" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Segments" })).ToHaveAttributeAsync("aria-current", "page");
        await page.GetByLabel("Segment id").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task The_console_on_a_phone_sized_screen_does_not_scroll_sideways()
    {
        var page = await engine.OpenAsync("/console/", width: 390, height: 844);
        await Assertions.Expect(page.Locator("#stat-customers")).ToBeVisibleAsync();
        await PageEvidence.AssertNoSidewaysScrollingAsync(page);
        await PageEvidence.ScreenshotAsync(page, "console-phone");
    }

    private async Task<IReadOnlyList<string>> Cohort(string cohort, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var who = TestData.Email("cohort");
            var created = await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { who }, Traits = new ProfileTraits { CustomAttributes = { ["cohort"] = cohort } } });
            await engine.Profiles.TrackAsync(new TrackRequest { Event = TestData.Purchase(who, 20m, TestData.Now().AddMinutes(-5)) });
            ids.Add(created.CustomerId);
        }

        return ids;
    }

}
