using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

/// <summary>The timeline keeps its entries as bytes: whatever an event carried must read back exactly, and old snapshots too.</summary>
public sealed class TimelineCodecTests
{
    // A Timeline as builds before the byte form stored it (captured on 2026-12-04): five entries, one of each shape below.
    private const string StoredObjectTimeline = "ICAACyHoQAtlLWJ1eQkDBYEAaBX65FHfCAkDDTEBxWGGLCVwZy5QdXJjaGFzZVBheWxvYWTo6OhAC09SRC0xIehAB0VVUkEhAAACAAAAAACiFwAAAAAAAOAxAbr1mCxXUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNgMVtbcGcuTGluZUl0ZW1dXQADIehAC1NLVS03QQtzaG9lcwEJIejAGUEhAAACAAAAAADRCwAAAAAAAOAh6MAZQSEAAAEAAAAAAA8AAAAAAAAA4ODgQRVTVE9SRS1MWU9OIejAGUEhAAAAAAAAAAADAAAAAAAAAOAJAwVBC3Rva18x4OAg6EANZS12aWV3CQMNgQByCansUd8ICQMFMQH2ZfZRJXBnLlBhZ2VWaWV3UGF5bG9hZOjo6EAVL2hvbWU/cT3DqeDgIOhADWUtcHJvZAkDCYEAuMzM7FHfCAkDCTEBxAnmuSNwZy5Qcm9kdWN0UGF5bG9hZOjo6EALU0tVLTnBAQEFwQHg4CDoQBFlLWN1c3RvbQkDMYEA/o/w7FHfCAkDBTEByqY5cyFwZy5DdXN0b21QYXlsb2Fk6OjoQAlxdWl6MQHbNq1zdVN5c3RlbS5Db2xsZWN0aW9ucy5HZW5lcmljLkRpY3Rpb25hcnlgMltbc3RyaW5nXSxbc3RyaW5nXV0BBUENYW5zd2VyQANiQAtzY29yZUADN+Dg4CDoQA1lLW5vbmUJAxmBAERTFO1R3wgJAw3BAeDg4A==";

    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly IReadOnlySet<EventType> AnyType = new HashSet<EventType>();
    private static readonly IReadOnlySet<Channel> AnyChannel = new HashSet<Channel>();

    /// <summary>A payload's whole content (records hold lists by reference, so Equals cannot tell two decoded lists equal).</summary>
    public static string Json(EventPayload? payload) => payload is null ? "null" : payload.GetType().Name + JsonSerializer.Serialize<object>(payload);

    public static TheoryData<string, EventType, EventPayload?> EveryPayload() => new()
    {
        { "none", EventType.StoreVisit, null },
        { "purchase", EventType.Purchase, new PurchasePayload("ORD-1", new Money("EUR", 60.500m), [Item("SKU-7", "chaussures été", 2, Eur(30.25m)) with { Discount = Eur(-0.01m) }, Item("SKU-8", null, -3)], "STORE-LYON", Eur(3m), PaymentKind.Card, "tok_1") },
        { "purchase without lines", EventType.Purchase, new PurchasePayload("", new Money("JPY", decimal.MaxValue), [], null) },
        { "product", EventType.AddToCart, new ProductPayload("SKU-9", null, int.MinValue, null) },
        { "product priced", EventType.ProductView, new ProductPayload("SKU-9", "sacs", int.MaxValue, new Money("EUR", decimal.MinValue)) },
        { "page", EventType.PageView, new PageViewPayload("/produits/été?q=日本語&e=🙂") },
        { "store", EventType.StoreVisit, new StoreVisitPayload("S-1") },
        { "campaign", EventType.EmailClick, new CampaignPayload(null, ContactChannel.Sms) },
        { "message", EventType.MessageSent, new MessagePayload(ContactChannel.Email, "soldes") },
        { "custom", EventType.Custom, new CustomPayload("quiz", new Dictionary<string, string> { ["answer"] = "b", [""] = "", ["ключ"] = "значение" }) },
        { "return", EventType.Return, new ReturnPayload("ORD-1", Eur(0.001m), [Item("SKU-7", "shoes")], null, "trop petit") },
        { "score", EventType.Review, new ScorePayload(-1, "SKU-7", null, Suggestion: true) },
        { "subscription", EventType.SubscriptionStop, new SubscriptionPayload("premium", null) },
        { "support", EventType.SupportContact, new SupportPayload(null, SupportOutcome.Unresolved) },
        { "lone surrogates", EventType.PageView, new PageViewPayload("a\uD800b\uDFFF") },
    };

    [Theory]
    [MemberData(nameof(EveryPayload))]
    public void Every_kind_of_payload_reads_back_exactly(string eventId, EventType type, EventPayload? payload)
    {
        var timeline = new Timeline();
        timeline.Record(new TrackedEvent(eventId + "\uDC00", type, Now.AddMinutes(-1), Channel.CallCentre, [], payload), Now, TimelineLimits.Default);

        var entry = Assert.Single(timeline.All());

        Assert.Equal((eventId + "\uDC00", type, Now.AddMinutes(-1), Channel.CallCentre), (entry.EventId, entry.Type, entry.OccurredAt, entry.Channel));
        Assert.Equal(Json(payload), Json(entry.Payload));
        Assert.Equal(Json(payload), Json(Serializer.Deserialize<Timeline>(Serializer.SerializeToArray(timeline))!.All()[0].Payload));
    }

    [Fact]
    public void A_timeline_stored_as_objects_by_an_earlier_build_reads_back_and_keeps_working()
    {
        var timeline = Serializer.Deserialize<Timeline>(Convert.FromBase64String(StoredObjectTimeline))!;
        var stored = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(["e-buy", "e-view", "e-prod", "e-custom", "e-none"], timeline.All().Select(e => e.EventId));
        var purchase = Assert.IsType<PurchasePayload>(timeline.All()[0].Payload);
        Assert.Equal((60.50m, 30.25m, "tok_1"), (purchase.Total.Amount, purchase.Items[0].UnitPrice!.Value.Amount, purchase.PaymentInstrument));
        Assert.Equal("/home?q=é", Assert.IsType<PageViewPayload>(timeline.All()[1].Payload).Path);
        Assert.Equal("7", Assert.IsType<CustomPayload>(timeline.All()[3].Payload).Properties["score"]);
        Assert.True(timeline.BoughtIn("shoes"));

        timeline.Record(PageView("e-new", stored.AddMinutes(-30)), stored, TimelineLimits.Default);
        var (page, _) = timeline.Read(AnyType, AnyChannel, null, 10, stored, TimelineLimits.Default.MaxAge);
        Assert.Equal(["e-none", "e-custom", "e-prod", "e-view", "e-new", "e-buy"], page.Select(e => e.EventId));
    }

    [Fact]
    public void A_purchase_category_is_found_in_place_in_any_line_and_only_in_purchases()
    {
        var profile = NewProfile();
        profile.Apply(Purchase("p1", "ORD-1", Eur(10m), Now.AddDays(-2), Channel.Store, "S-1", Item("SKU-1", "tentes"), Item("SKU-2", "été")), Now);
        profile.Apply(Event("v1", EventType.ProductView, new ProductPayload("SKU-3", "sacs", 1, null), Now.AddDays(-1)), Now);
        profile.Apply(Event("r1", EventType.Return, new ReturnPayload("ORD-1", Eur(1m), [Item("SKU-4", "lampes")], null, null), Now), Now);

        Assert.True(profile.Timeline.BoughtIn("été"));
        Assert.True(profile.Timeline.BoughtIn("tentes"));
        Assert.False(profile.Timeline.BoughtIn("sacs"));
        Assert.False(profile.Timeline.BoughtIn("lampes"));
        Assert.False(profile.Timeline.BoughtIn("ete"));
    }

    [Fact]
    public void Entries_inserted_out_of_order_trimmed_and_merged_keep_their_bytes_apart()
    {
        var random = new Random(7);
        var timeline = new Timeline();
        var expected = new List<(long Ticks, string Id, string Path)>();
        var limits = new TimelineLimits(40, TimeSpan.FromDays(30));
        for (var i = 0; i < 300; i++)
        {
            var at = Now.AddMinutes(-random.Next(0, 60 * 24 * 40));
            var path = new string('x', random.Next(0, 300)) + i;
            timeline.Record(PageView("e" + i, at, path), Now, limits);
            if (at >= Now - limits.MaxAge)
            {
                expected.Add((at.UtcTicks, "e" + i, path));
            }

            expected = [.. expected.OrderBy(e => e.Ticks).ThenBy(e => e.Id, StringComparer.Ordinal).TakeLast(limits.MaxEntries)];
        }

        Assert.Equal(expected.Select(e => (e.Id, e.Path)), timeline.All().Select(e => (e.EventId, ((PageViewPayload)e.Payload!).Path)));
    }
}
