using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace ProfileGrains.Domain.Tests;

/// <summary>
/// Rows written by an earlier build must stay readable: a profile snapshot and a journal entry as this version stored
/// them (captured on 2026-11-24). Types are found by their [Alias] and fields by [Id], so renaming or moving a type, or
/// adding fields with new ids, keeps these readable; changing an alias or an id breaks this test, as it would break
/// every stored row.
/// </summary>
public sealed class StoredFormatTests
{
    private const string StoredProfile = "IEBBMDE5MGExYjJjM2Q0N2U1ZjhhOWIwYzFkMmUzZjRhNWIhgAD3BVHIbdwIgQAAAAAAAAAA4CGAAHe4nKSL3AiBAAAAAAAAAADgIQAFIegIAwVBI2FsaWNlQGV4YW1wbGUuY29t4CDoCAMNQRFMT1kxMjM0NeDgIegg6MABwQHBAcEBwQHBAeDBAQkDAUELZnItRlIxAR3sxEAlcGcuUG9zdGFsQWRkcmVzc1td4MEBwQEh6Cg14DEB2zatc3VTeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5EaWN0aW9uYXJ5YDJbW3N0cmluZ10sW3N0cmluZ11d4MEByTVByTVB4DkF4DEBt5ZgLylwZy5Db25zZW50RGVjaXNpb25bXeDBAeAhIIAAt297kW7cCIEAAAAAAAAAAOAhgAC3b3uRbtwIgQAAAAAAAAAA4CHoQAdFVVJBIQAAAAAAAAAAUAAAAAAAAADgAQUhAQPBYUAhAAAAAAAAAABQAAAAAAAAAOAhAQPBYQAF4CEBAwkDDSAABSEBA8FhQCEAAAAAAAAAAFAAAAAAAAAA4ODgIQEDQQ9zdG9yZS03AAXg4CEgAQUJAwUgAAUhgAC3b3uRbtwIgQAAAAAAAAAA4CEAAyFgbhFuPwEF4OAhAAMhYGyiDgEBBeDgIQADIQBEbLQBBeDg4AgDDSAABSGAAHe4nKSL3AiBAAAAAAAAAADgIQADIWCO4W4/AQXg4CEAAyFg5KUOAQEF4OAhAAMhAJRutAEF4ODg4OAhIAAHgeFa0MpPkXtMgHYGKeD1rgZ8gJAKTVEo9VPa4AEBIQAHIQgDBYEAt297kW7cCMEBwQHgIAgDBYEAt297kW7cCCHogOFa0MpPkXtMCQMNIejAYUEhAAAAAAAAAABQAAAAAAAAAODBjeDBAeAgCAMNgQB3uJyki9wIwQHBAeDg4CEBA0ELc2hvZXMADeAhAANBDWJ1eWVyc+Ah4MEBIYAA9wVRyG3cCIEAAAAAAAAAAOABAQc3DYEA94vxNo3cCAEBIeAhIDABMSzULh1TdHJpbmdDb21wYXJlcgADAQHgAQPBVgIggAAAAAAAABRAgQC3b3uRbtwI4OAhOAkAAwEB4AEDQQtTS1UtMSCAAAAAAAAAFECBALdve5Fu3Ajg4ODg";
    private const string StoredTrackChange = "MAF/rVrHL3BnLkN1c3RvbWVyQ2hhbmdlLlRyYWNr6CCAAPeL8TaN3AiBAAAAAAAAAADg6Ogg6EAFZTMJAwkhgAAlQoY2jdwIgQAAAAAAAAAA4AkDCTEBoyBE3mtSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1twZy5DdXN0b21lcklkZW50aWZpZXJdXQADIegIAwVBI2FsaWNlQGV4YW1wbGUuY29t4OAxAcQJ5rkjcGcuUHJvZHVjdFBheWxvYWTo6OhAC1NLVS05QQliYWdzAQXBAeDgOQUAAyHoCAMFwSHg4OA=";

    // Captured from 3b79e65 (2026-12-04), when the merge history and the moved identifiers were lists always present:
    // a survivor that absorbed cust-2 and began giving one identifier back.
    private const string StoredMergedProfile = "IEANY3VzdC0xIYAAkE1L/QDfCIEAAAAAAAAAAOAhgACQnNyRT98IgQAAAAAAAAAA4CHgIegg6MABwQHBAcEBwQHBAeDBAQkDAcEBMQEd7MRAJXBnLlBvc3RhbEFkZHJlc3NbXeDBAcEBIegwAcPZbj5NUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNgMVtbc3RyaW5nXV3gMQHbNq1zdVN5c3RlbS5Db2xsZWN0aW9ucy5HZW5lcmljLkRpY3Rpb25hcnlgMltbc3RyaW5nXSxbc3RyaW5nXV3gwQE5BeA5BeDBAeA5B+AxAW+9cE9lUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNgMVtbcGcuQ29uc2VudERlY2lzaW9uXV3gwQHgIcABwQHBAQEBwQHBAcEBwQEBAcEBwQHBAcEBwQHBAeAhwAHBAeAhIOABASHg4MEBIeAhAAMh6EAbY3VzdC0yPmN1c3QtMUENY3VzdC0yIYAAkJzckU/fCIEAAAAAAAAAAOAh6AgDBUEfYW5uQGV4YW1wbGUuY29t4EENb2xkZXN04ODBAcEBAQEHNwEBAQEBwQEhwAHBAcEBwQHgwQEh6CDowH3BfyGAAJCc3JFP3wiBAAAAAAAAAADgwQHBjeDBfyHAfyGAABD1k0co3wiBAAAAAAAAAADgIYAAEPWTRyjfCIEAAAAAAAAAAOAh4CHoIOjAAcEBwQHBAcEBwQHgwQEJAwHBAdkDK8EBwQEh6Cg14DkH4MEByTXtyTXtwQHgOQfgMQG3lmAvKXBnLkNvbnNlbnREZWNpc2lvbltd4MEB4CHAAcEBwQEBAcEBwQHBAcEBAQHBAcEBwQHBAcEBwQHgIcABwQHgISDgAQEh4ODBASHgIeDBAcEBAQEHNwEBAQEBwQEhwAHBAcEBwQHgwQHBASHgIeAhwAFBASHgAQEBAeDBAcEBwQHBAcEBwQHBAcEBwQHBAcEB4DEBoyBE3mtSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1twZy5DdXN0b21lcklkZW50aWZpZXJdXQADIegIAwlBGSszMzYxMjM0NTY3OODgIehAK3VubWVyZ2UgY3VzdC0yPmN1c3QtMcF/IYAA+GA+mk/fCIEAAAAAAAAAAODBAUEPdW5tZXJnZeDgIQADIegg6AgDCcH6AuDBf+DgIeAhwAHBrgLBsgIBAQEB4MEBwQHBAcEBwQHBAcEBwQHBAcEBwQHg";

    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly DateTimeOffset Then = new(2024, 6, 15, 12, 30, 30, TimeSpan.Zero);

    [Fact]
    public void A_profile_snapshot_stored_by_an_earlier_build_reads_back()
    {
        var profile = Serializer.Deserialize<CustomerProfile>(Convert.FromBase64String(StoredProfile))!;

        Assert.Equal("0190a1b2c3d47e5f8a9b0c1d2e3f4a5b", profile.CustomerId);
        Assert.Equal(Then.AddDays(-40), profile.CreatedAt);
        Assert.Equal([new CustomerIdentifier(IdentifierType.Email, "alice@example.com"), new CustomerIdentifier(IdentifierType.LoyaltyId, "LOY12345")], profile.Identifiers);
        Assert.Equal("fr-FR", profile.Traits.Locale);
        Assert.Equal(1, profile.Transactions.OrderCount);
        Assert.Equal(80m, profile.Transactions.SpendByCurrency["EUR"]);
        Assert.Equal(1, profile.Counters.Count(EventType.PageView, CounterWindow.SevenDays, Then));
        Assert.Equal(3, profile.JournalSequence);
        Assert.Equal(["buyers"], profile.SegmentIds);
        // The dedupe memory came back too: the stored purchase is recognised as a retry.
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(new TrackedEvent("e1", EventType.Purchase, Then.AddDays(-39), Channel.Store, [],
            new PurchasePayload("o1", new Money("EUR", 80m), [], "store-7")), Then));
        // Counters stored as three lists carry on in the one-array form.
        profile.Apply(new TrackedEvent("e-new", EventType.PageView, Then.AddMinutes(-1), Channel.Web, [], new PageViewPayload("/")), Then);
        Assert.Equal((2L, 1L), (profile.Counters.Count(EventType.PageView, CounterWindow.SevenDays, Then), profile.Counters.Count(EventType.PageView, CounterWindow.OneHour, Then)));
        var copy = Serializer.Deserialize<CustomerProfile>(Serializer.SerializeToArray(profile))!;
        Assert.Equal((2L, 1L), (copy.Counters.Count(EventType.PageView, CounterWindow.SevenDays, Then), copy.Counters.Count(EventType.PageView, CounterWindow.OneHour, Then)));
    }

    [Fact]
    public void A_merge_history_and_moved_identifiers_stored_as_always_present_lists_read_back()
    {
        var profile = Serializer.Deserialize<CustomerProfile>(Convert.FromBase64String(StoredMergedProfile))!;

        var merge = Assert.Single(profile.MergeHistory);
        Assert.Equal("cust-2>cust-1", merge.MergeId);
        Assert.Equal(new CustomerIdentifier(IdentifierType.Email, "ann@example.com"), merge.Trigger);
        Assert.True(profile.HasMerged("cust-2>cust-1"));
        var moved = Assert.Single(profile.MovedAway);
        Assert.Equal(new MovedIdentifier(new CustomerIdentifier(IdentifierType.Phone, "+33612345678"), "cust-2"), moved);
        Assert.Equal("cust-2", profile.MovedTo([new CustomerIdentifier(IdentifierType.Phone, "+33612345678")]));

        // Written back by this build and read again: the same, and a profile that never merged carries neither.
        var again = Serializer.Deserialize<CustomerProfile>(Serializer.SerializeToArray(profile))!;
        Assert.Equal(profile.MergeHistory, again.MergeHistory);
        Assert.Equal(profile.MovedAway, again.MovedAway);
        var fresh = Serializer.Deserialize<CustomerProfile>(Serializer.SerializeToArray(TestData.NewProfile()))!;
        Assert.Empty(fresh.MergeHistory);
        Assert.Empty(fresh.MovedAway);
        Assert.False(fresh.HasMerged("cust-2>cust-1"));
    }

    [Fact]
    public void A_journal_entry_stored_by_an_earlier_build_reads_back()
    {
        var change = Assert.IsType<TrackChange>(Serializer.Deserialize<CustomerChange>(Convert.FromBase64String(StoredTrackChange)));

        Assert.Equal(Then, change.At);
        Assert.Equal("e3", change.Event.EventId);
        Assert.Equal(EventType.ProductView, change.Event.Type);
        Assert.Equal(new ProductPayload("SKU-9", "bags", 1, null), change.Event.Payload);
        Assert.Equal([new CustomerIdentifier(IdentifierType.Email, "alice@example.com")], change.Linked);
    }

    [Fact]
    public void A_profile_with_every_kind_of_activity_survives_a_snapshot_round_trip()
    {
        var profile = TestData.NewProfile();
        var at = TestData.Now.AddHours(-2);
        void Track(string id, EventType type, EventPayload payload) => profile.Apply(TestData.Event(id, type, payload, at, Channel.Store), TestData.Now);
        Track("a", EventType.AddToCart, new ProductPayload("SKU-1", "shoes", 2, TestData.Eur(30m)));
        Track("b", EventType.EmailClick, new CampaignPayload("spring", ContactChannel.Sms));
        Track("c", EventType.Satisfaction, new ScorePayload(4, null, "slow"));
        Track("d", EventType.SubscriptionStart, new SubscriptionPayload("premium", null));
        Track("e", EventType.Return, new ReturnPayload("ORD-0", TestData.Eur(5m), [], null, null));
        Track("f", EventType.Purchase, new PurchasePayload("ORD-1", TestData.Eur(10m), [TestData.Item("SKU-2", "bags")], "S-1", PaymentKind: PaymentKind.Card, PaymentInstrument: "tok_1"));

        var copy = Serializer.Deserialize<CustomerProfile>(Serializer.SerializeToArray(profile))!;

        Assert.Equal(2, copy.Cart!.ItemCount);
        Assert.Equal(["spring"], copy.Campaigns!.ClickedWithin(null, TestData.Now));
        Assert.Equal(("detractor", 1L), (copy.Feedback!.NpsGroup, copy.Transactions.ReturnCount));
        Assert.Equal(["premium"], copy.Subscriptions!.Active);
        Assert.Equal(["bags"], copy.Products!.Within(categories: true, bought: true, null, TestData.Now));
        Assert.Equal(1, copy.PaymentInstruments!.CountSince(0));
        Assert.Equal(1, copy.Visits!.Days);
        Assert.Equal(new PurchasePayload("ORD-1", TestData.Eur(10m), [TestData.Item("SKU-2", "bags")], "S-1", PaymentKind: PaymentKind.Card, PaymentInstrument: "tok_1").PaymentInstrument,
            ((PurchasePayload)copy.Timeline.All()[^1].Payload!).PaymentInstrument);
    }
}
