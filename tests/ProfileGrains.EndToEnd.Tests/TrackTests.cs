using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;
using ApiChannel = ProfileGrains.Protos.V1.Channel;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class TrackTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    private Task<(string CustomerId, Identifier Loyalty)> NewCustomer() => Client.NewCustomer();

    private Task<Profile> Profile(string customerId) => Client.ProfileById(customerId);

    [Theory]
    [InlineData(EventType.Purchase)]
    [InlineData(EventType.ProductView)]
    [InlineData(EventType.PageView)]
    [InlineData(EventType.AddToCart)]
    [InlineData(EventType.RemoveFromCart)]
    [InlineData(EventType.StoreVisit)]
    [InlineData(EventType.EmailOpen)]
    [InlineData(EventType.EmailClick)]
    [InlineData(EventType.SupportContact)]
    [InlineData(EventType.Satisfaction)]
    [InlineData(EventType.Review)]
    [InlineData(EventType.Custom)]
    public async Task Each_event_type_is_accepted_and_counted(EventType type)
    {
        var (customerId, loyalty) = await NewCustomer();
        var e = Event(type, loyalty);

        var response = await Client.TrackAsync(new TrackRequest { Event = e });

        Assert.Equal(TrackOutcome.Accepted, response.Outcome);
        Assert.Equal(customerId, response.CustomerId);
        Assert.Empty(response.Conflicts);
        var profile = await Profile(customerId);
        Assert.Equal(1, Count(profile, type, CounterWindow._24H));
        Assert.Equal(1, Count(profile, type, CounterWindow._1H));
        Assert.Equal(1, Count(profile, type, CounterWindow.Lifetime));
        var counter = Assert.Single(profile.Counters);
        Assert.Equal(type, counter.EventType);
        Assert.Equal(e.OccurredAt, counter.LastOccurredAt);
    }

    [Fact]
    public async Task Counters_reflect_every_tracked_event_in_its_occurrence_window()
    {
        var (customerId, loyalty) = await NewCustomer();
        var now = Now();
        var events = new[]
        {
            Event(EventType.Purchase, now.AddMinutes(-2), loyalty),
            Event(EventType.Purchase, now.AddDays(-3), loyalty),
            Event(EventType.ProductView, now.AddMinutes(-3), loyalty),
            Event(EventType.ProductView, now.AddHours(-3), loyalty),
            Event(EventType.ProductView, now.AddDays(-40), loyalty),
            Event(EventType.PageView, now.AddMinutes(-1), loyalty),
            Event(EventType.AddToCart, now.AddMinutes(-1), loyalty),
            Event(EventType.StoreVisit, now.AddDays(-2), loyalty),
            Event(EventType.EmailOpen, now.AddMinutes(-1), loyalty),
            Event(EventType.Satisfaction, now.AddMinutes(-1), loyalty),
            Event(EventType.Review, now.AddMinutes(-1), loyalty),
            Event(EventType.Custom, now.AddMinutes(-1), loyalty),
        };

        foreach (var e in events)
        {
            var response = await Client.TrackAsync(new TrackRequest { Event = e });
            Assert.Equal(TrackOutcome.Accepted, response.Outcome);
        }

        var profile = await Profile(customerId);
        Assert.Equal(1, Count(profile, EventType.Purchase, CounterWindow._24H));
        Assert.Equal(2, Count(profile, EventType.Purchase, CounterWindow._7D));
        Assert.Equal(2, Count(profile, EventType.Purchase, CounterWindow.Lifetime));
        Assert.Equal(2, Count(profile, EventType.ProductView, CounterWindow._24H));
        Assert.Equal(1, Count(profile, EventType.ProductView, CounterWindow._1H));
        Assert.Equal(2, Count(profile, EventType.ProductView, CounterWindow._30D));
        Assert.Equal(3, Count(profile, EventType.ProductView, CounterWindow._90D));
        Assert.Equal(3, Count(profile, EventType.ProductView, CounterWindow.Lifetime));
        Assert.Equal(0, Count(profile, EventType.StoreVisit, CounterWindow._24H));
        Assert.Equal(1, Count(profile, EventType.StoreVisit, CounterWindow.Lifetime));
        foreach (var type in new[] { EventType.PageView, EventType.AddToCart, EventType.EmailOpen, EventType.Satisfaction, EventType.Review, EventType.Custom })
        {
            Assert.Equal(1, Count(profile, type, CounterWindow._24H));
            Assert.Equal(1, Count(profile, type, CounterWindow.Lifetime));
        }

        Assert.Equal(0, Count(profile, EventType.EmailClick, CounterWindow.Lifetime));
        Assert.Equal(2, profile.Transactions.OrderCount);
        // Views (1), carts (2) and purchases (3 per line) give "shoes" the only affinity.
        Assert.Equal(["shoes"], profile.TopCategories);
    }

    [Fact]
    public async Task The_same_event_id_twice_is_a_duplicate_and_counts_once()
    {
        var (customerId, loyalty) = await NewCustomer();
        var e = Event(EventType.ProductView, loyalty);

        var first = await Client.TrackAsync(new TrackRequest { Event = e });
        var retry = await Client.TrackAsync(new TrackRequest { Event = e });
        // A retry is recognised by its id even when the rest of the event differs.
        var changed = e.Clone();
        changed.OccurredAt = Ts(Now().AddMinutes(-30));
        var retryWithOtherTime = await Client.TrackAsync(new TrackRequest { Event = changed });

        Assert.Equal(TrackOutcome.Accepted, first.Outcome);
        Assert.Equal(TrackOutcome.Duplicate, retry.Outcome);
        Assert.Equal(TrackOutcome.Duplicate, retryWithOtherTime.Outcome);
        Assert.Equal(customerId, retry.CustomerId);
        var profile = await Profile(customerId);
        Assert.Equal(1, Count(profile, EventType.ProductView, CounterWindow.Lifetime));
        Assert.Equal(1, Count(profile, EventType.ProductView, CounterWindow._24H));
    }

    [Fact]
    public async Task A_purchase_with_a_known_order_id_and_a_new_event_id_is_a_duplicate()
    {
        var (customerId, loyalty) = await NewCustomer();
        var orderId = Unique("order");
        var purchase = Purchase(loyalty, 99.90m, Now().AddMinutes(-5), orderId: orderId);
        var resent = Purchase(loyalty, 99.90m, Now().AddMinutes(-4), orderId: orderId);

        var first = await Client.TrackAsync(new TrackRequest { Event = purchase });
        var second = await Client.TrackAsync(new TrackRequest { Event = resent });

        Assert.NotEqual(purchase.EventId, resent.EventId);
        Assert.Equal(TrackOutcome.Accepted, first.Outcome);
        Assert.Equal(TrackOutcome.Duplicate, second.Outcome);
        var profile = await Profile(customerId);
        Assert.Equal(1, profile.Transactions.OrderCount);
        Assert.Equal(99.90m, Spend(profile.Transactions.TotalSpend, "EUR"));
        Assert.Equal(1, Count(profile, EventType.Purchase, CounterWindow.Lifetime));
    }

    [Fact]
    public async Task An_event_from_unknown_identifiers_creates_the_customer()
    {
        var email = Email("walk-in");
        var anonymous = Anonymous();
        var e = Event(EventType.PageView, email, anonymous);

        var response = await Client.TrackAsync(new TrackRequest { Event = e });

        Assert.Equal(TrackOutcome.Accepted, response.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(response.CustomerId));
        Assert.Equal(response.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = email })).CustomerId);
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(anonymous) });
        Assert.Equal(response.CustomerId, profile.CustomerId);
        Assert.Equal(1, Count(profile, EventType.PageView, CounterWindow.Lifetime));

        // Identify afterwards finds the customer the event created.
        var identify = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });
        Assert.False(identify.Created);
        Assert.Equal(response.CustomerId, identify.CustomerId);
    }

    [Fact]
    public async Task An_event_with_identifiers_of_two_customers_merges_them_and_counts_every_event_once()
    {
        var (customerA, loyaltyA) = await NewCustomer();
        var emailB = Email("merge-b");
        var customerB = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { emailB } })).CustomerId;
        var shared = Event(EventType.PageView, emailB);
        await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, loyaltyA) });
        await Client.TrackAsync(new TrackRequest { Event = shared });

        var response = await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, loyaltyA, emailB) });
        // The same event arriving again, now through A: already counted on B's side, so it must not count twice.
        shared.Identifiers.Clear();
        shared.Identifiers.Add(loyaltyA);
        var retry = await Client.TrackAsync(new TrackRequest { Event = shared });

        Assert.Equal(TrackOutcome.Accepted, response.Outcome);
        Assert.Equal(customerA, response.CustomerId);
        Assert.Equal([customerB], response.MergedCustomerIds);
        Assert.Equal(TrackOutcome.Duplicate, retry.Outcome);
        Assert.Equal(3, Count(await Profile(customerA), EventType.PageView, CounterWindow.Lifetime));
        Assert.Equal(3, Count(await Profile(customerB), EventType.PageView, CounterWindow.Lifetime));
    }

    [Fact]
    public async Task Two_loyalty_cards_are_two_people_and_are_not_merged()
    {
        var (customerA, loyaltyA) = await NewCustomer();
        var (customerB, loyaltyB) = await NewCustomer();

        var response = await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, loyaltyA, loyaltyB) });

        Assert.Empty(response.MergedCustomerIds);
        var conflict = Assert.Single(response.Conflicts);
        Assert.Equal(response.CustomerId == customerA ? customerB : customerA, conflict.OwnerCustomerId);
        Assert.Contains("LoyaltyId", conflict.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Count(await Profile(response.CustomerId), EventType.PageView, CounterWindow.Lifetime));
        Assert.Equal(0, Count(await Profile(conflict.OwnerCustomerId), EventType.PageView, CounterWindow.Lifetime));
    }

    [Fact]
    public async Task Junk_identifiers_never_pull_people_together()
    {
        var alice = Email("junk-alice");
        var bob = Email("junk-bob");
        var junk = new Identifier { Type = IdentifierType.Email, Value = "test@test.com" };

        var first = await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, alice, junk) });
        var second = await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, bob, junk) });

        Assert.NotEqual(first.CustomerId, second.CustomerId);
        Assert.Empty(second.MergedCustomerIds);
        Assert.Contains(second.Conflicts, c => c.Identifier.Value == "test@test.com" && c.Reason.StartsWith("blocked", StringComparison.Ordinal));
        var onlyJunk = await Assert.ThrowsAsync<RpcException>(() => Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, junk) }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, onlyJunk.StatusCode);
    }

    [Theory]
    [InlineData("missing-event-id", "event.event_id")]
    [InlineData("blank-event-id", "event.event_id")]
    [InlineData("event-id-129-chars", "event.event_id")]
    [InlineData("type-payload-mismatch", "event.payload")]
    [InlineData("no-payload", "event.payload")]
    [InlineData("unspecified-type", "event.type")]
    [InlineData("occurred-at-missing", "event.occurred_at")]
    [InlineData("occurred-at-1h-future", "event.occurred_at")]
    [InlineData("occurred-at-1999", "event.occurred_at")]
    [InlineData("channel-unspecified", "event.channel")]
    [InlineData("no-identifiers", "event.identifiers")]
    [InlineData("every-identifier-invalid", "event.identifiers[1].value")]
    [InlineData("negative-total", "event.purchase.total")]
    [InlineData("lowercase-currency", "event.purchase.total.currency_code")]
    [InlineData("missing-order-id", "event.purchase.order_id")]
    [InlineData("store-purchase-without-store", "event.purchase.store_id")]
    [InlineData("line-item-other-currency", "event.purchase.items[0].unit_price.currency_code")]
    [InlineData("line-item-zero-quantity", "event.purchase.items[0].quantity")]
    [InlineData("nanos-sign-mismatch", "event.purchase.total.nanos")]
    [InlineData("satisfaction-11", "event.satisfaction.score")]
    [InlineData("review-rating-0", "event.review.rating")]
    [InlineData("33-custom-properties", "event.custom.properties")]
    [InlineData("custom-without-name", "event.custom.name")]
    [InlineData("page-view-without-path", "event.page_view.path")]
    [InlineData("store-visit-without-store", "event.store_visit.store_id")]
    [InlineData("product-view-without-sku", "event.product_view.sku")]
    public async Task Bad_events_are_rejected_with_the_field_path_and_change_nothing(string scenario, string field)
    {
        var (customerId, loyalty) = await NewCustomer();
        await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, loyalty) });
        var before = await Profile(customerId);
        var stranger = Email("stranger");

        var e = Build(scenario, loyalty, stranger);

        await RpcAssert.InvalidArgument(() => Client.TrackAsync(new TrackRequest { Event = e }).ResponseAsync, field);

        Assert.Equal(before, await Profile(customerId));
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = stranger }).ResponseAsync);
    }

    [Fact]
    public async Task A_malformed_identifier_is_rejected_alone_and_the_event_counts_through_the_usable_ones()
    {
        var (customerId, loyalty) = await NewCustomer();
        var e = Event(EventType.PageView, Id(IdentifierType.Email, "stranger-at-nowhere"), loyalty);

        var response = await Client.TrackAsync(new TrackRequest { Event = e });
        var retry = await Client.TrackAsync(new TrackRequest { Event = e });

        Assert.Equal(customerId, response.CustomerId);
        Assert.Equal(TrackOutcome.Accepted, response.Outcome);
        Assert.Equal(TrackOutcome.Duplicate, retry.Outcome);
        Assert.Collection(
            response.IdentifierOutcomes,
            rejected =>
            {
                Assert.Equal(IdentifierOutcome.Types.Outcome.Rejected, rejected.Outcome);
                Assert.Equal("event.identifiers[0].value", rejected.Field);
                Assert.Equal("stranger-at-nowhere", rejected.Identifier.Value);
            },
            linked => Assert.Equal(IdentifierOutcome.Types.Outcome.Linked, linked.Outcome));
        Assert.Equal(1, Count(await Profile(customerId), EventType.PageView, CounterWindow.Lifetime));

        // In a batch, each event's identifiers get their own outcomes.
        var batch = await Client.TrackBatchAsync(new TrackBatchRequest { Events = { Event(EventType.PageView, loyalty, Phone("12")) } });
        Assert.Equal(
            [IdentifierOutcome.Types.Outcome.Linked, IdentifierOutcome.Types.Outcome.Rejected],
            Assert.Single(batch.Results).IdentifierOutcomes.Select(o => o.Outcome));
        Assert.Equal(2, Count(await Profile(customerId), EventType.PageView, CounterWindow.Lifetime));
    }

    [Fact]
    public async Task A_track_request_without_an_event_is_rejected()
    {
        await RpcAssert.InvalidArgument(() => Client.TrackAsync(new TrackRequest()).ResponseAsync, "event");
    }

    [Fact]
    public async Task A_rejected_event_id_can_be_sent_again_once_fixed()
    {
        var (customerId, loyalty) = await NewCustomer();
        var e = Event(EventType.Satisfaction, loyalty);
        e.Satisfaction.Score = 11;
        await RpcAssert.InvalidArgument(() => Client.TrackAsync(new TrackRequest { Event = e }).ResponseAsync, "event.satisfaction.score");

        e.Satisfaction.Score = 10;
        var fixedResponse = await Client.TrackAsync(new TrackRequest { Event = e });

        Assert.Equal(TrackOutcome.Accepted, fixedResponse.Outcome);
        Assert.Equal(1, Count(await Profile(customerId), EventType.Satisfaction, CounterWindow.Lifetime));
    }

    private static Event Build(string scenario, Identifier known, Identifier stranger)
    {
        var e = Event(EventType.Purchase, known, stranger);
        switch (scenario)
        {
            case "missing-event-id":
                e.EventId = string.Empty;
                break;
            case "blank-event-id":
                e.EventId = "   ";
                break;
            case "event-id-129-chars":
                e.EventId = new string('e', 129);
                break;
            case "type-payload-mismatch":
                e.ProductView = new ProductView { Sku = "SKU-1" };
                break;
            case "no-payload":
                e.ClearPayload();
                break;
            case "unspecified-type":
                e.Type = EventType.Unspecified;
                break;
            case "occurred-at-missing":
                e.OccurredAt = null;
                break;
            case "occurred-at-1h-future":
                e.OccurredAt = Ts(Now().AddHours(1));
                break;
            case "occurred-at-1999":
                e.OccurredAt = Ts(new DateTimeOffset(1999, 12, 31, 23, 0, 0, TimeSpan.Zero));
                break;
            case "channel-unspecified":
                e.Channel = ApiChannel.Unspecified;
                break;
            case "no-identifiers":
                e.Identifiers.Clear();
                break;
            case "every-identifier-invalid":
                e.Identifiers[0] = Id(IdentifierType.LoyaltyId, "LOY with spaces");
                e.Identifiers[1] = Id(IdentifierType.Email, "stranger-at-nowhere");
                break;
            case "negative-total":
                e.Purchase.Total = new Money { CurrencyCode = "EUR", Units = -5 };
                e.Purchase.Items.Clear();
                break;
            case "lowercase-currency":
                e.Purchase.Total = Money(42.50m, "eur");
                e.Purchase.Items.Clear();
                break;
            case "missing-order-id":
                e.Purchase.OrderId = string.Empty;
                break;
            case "store-purchase-without-store":
                e.Channel = ApiChannel.Store;
                e.Purchase.StoreId = string.Empty;
                break;
            case "line-item-other-currency":
                e.Purchase.Items[0].UnitPrice = Money(42.50m, "USD");
                break;
            case "line-item-zero-quantity":
                e.Purchase.Items[0].Quantity = 0;
                break;
            case "nanos-sign-mismatch":
                e.Purchase.Total = new Money { CurrencyCode = "EUR", Units = 3, Nanos = -500_000_000 };
                break;
            case "satisfaction-11":
                e.Type = EventType.Satisfaction;
                e.Satisfaction = new Satisfaction { Score = 11 };
                break;
            case "review-rating-0":
                e.Type = EventType.Review;
                e.Review = new Review { Sku = "SKU-1", Rating = 0 };
                break;
            case "33-custom-properties":
                e.Type = EventType.Custom;
                e.Custom = new CustomEvent { Name = "too_many" };
                e.Custom.Properties.Add(Enumerable.Range(0, 33).ToDictionary(i => $"p{i}", i => $"v{i}"));
                break;
            case "custom-without-name":
                e.Type = EventType.Custom;
                e.Custom = new CustomEvent { Properties = { ["a"] = "b" } };
                break;
            case "page-view-without-path":
                e.Type = EventType.PageView;
                e.PageView = new PageView();
                break;
            case "store-visit-without-store":
                e.Type = EventType.StoreVisit;
                e.StoreVisit = new StoreVisit();
                break;
            case "product-view-without-sku":
                e.Type = EventType.ProductView;
                e.ProductView = new ProductView { Category = "shoes" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        return e;
    }

    [Fact]
    public async Task An_amount_of_long_MinValue_units_is_rejected_as_invalid_not_internal()
    {
        var (customerId, loyalty) = await NewCustomer();
        var before = await Profile(customerId);
        var e = Purchase(loyalty, 1m, Now().AddMinutes(-1));
        e.Purchase.Total = new Money { CurrencyCode = "EUR", Units = long.MinValue };

        await RpcAssert.InvalidArgument(() => Client.TrackAsync(new TrackRequest { Event = e }).ResponseAsync, "event.purchase.total.units");

        Assert.Equal(before, await Profile(customerId));
    }
}
