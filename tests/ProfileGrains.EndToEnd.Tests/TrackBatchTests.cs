using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class TrackBatchTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    private Task<(string CustomerId, Identifier Loyalty)> NewCustomer() => Client.NewCustomer();

    private Task<Profile> Profile(string customerId) => Client.ProfileById(customerId);

    [Fact]
    public async Task Events_of_several_customers_get_one_result_each_in_request_order()
    {
        var (customerA, loyaltyA) = await NewCustomer();
        var (customerB, loyaltyB) = await NewCustomer();
        var newcomer = Email("batch-new");
        var phoneOfA = FrenchMobile();
        await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { loyaltyA, Phone(phoneOfA.International) } });
        var viewOfB = Event(EventType.ProductView, loyaltyB);
        var purchaseOfA = Purchase(loyaltyA, 20m, Now().AddMinutes(-10));
        var events = new[]
        {
            purchaseOfA,                                          // 0: A
            viewOfB,                                              // 1: B
            Event(EventType.PageView, Phone(phoneOfA.National)),  // 2: A, by another identifier
            Event(EventType.PageView, newcomer),                  // 3: a new customer
            viewOfB.Clone(),                                      // 4: B again, same event id
            Event(EventType.StoreVisit, loyaltyB),                // 5: B
            Event(EventType.EmailOpen, newcomer),                 // 6: the new customer again
            Purchase(loyaltyA, 20m, Now().AddMinutes(-9), orderId: purchaseOfA.Purchase.OrderId), // 7: A, same order
        };

        var response = await Client.TrackBatchAsync(new TrackBatchRequest { Events = { events } });

        Assert.Equal(events.Length, response.Results.Count);
        var newcomerId = response.Results[3].CustomerId;
        Assert.False(string.IsNullOrWhiteSpace(newcomerId));
        Assert.DoesNotContain(newcomerId, new[] { customerA, customerB });
        Assert.Equal(
            [customerA, customerB, customerA, newcomerId, customerB, customerB, newcomerId, customerA],
            response.Results.Select(r => r.CustomerId));
        Assert.Equal(
            [TrackOutcome.Accepted, TrackOutcome.Accepted, TrackOutcome.Accepted, TrackOutcome.Accepted,
             TrackOutcome.Duplicate, TrackOutcome.Accepted, TrackOutcome.Accepted, TrackOutcome.Duplicate],
            response.Results.Select(r => r.Outcome));

        var a = await Profile(customerA);
        Assert.Equal(1, a.Transactions.OrderCount);
        Assert.Equal(1, Count(a, EventType.PageView, CounterWindow.Lifetime));
        var b = await Profile(customerB);
        Assert.Equal(1, Count(b, EventType.ProductView, CounterWindow.Lifetime));
        Assert.Equal(1, Count(b, EventType.StoreVisit, CounterWindow.Lifetime));
        var c = await Profile(newcomerId);
        Assert.Equal(1, Count(c, EventType.PageView, CounterWindow.Lifetime));
        Assert.Equal(1, Count(c, EventType.EmailOpen, CounterWindow.Lifetime));
        Assert.Equal(newcomerId, (await Client.LookupAsync(new LookupRequest { Identifier = newcomer })).CustomerId);
    }

    [Fact]
    public async Task Retrying_a_whole_batch_counts_nothing_twice()
    {
        var (customerId, loyalty) = await NewCustomer();
        var request = new TrackBatchRequest
        {
            Events = { Event(EventType.PageView, loyalty), Event(EventType.ProductView, loyalty), Purchase(loyalty, 10m, Now().AddMinutes(-1)) },
        };

        var first = await Client.TrackBatchAsync(request);
        var retry = await Client.TrackBatchAsync(request);

        Assert.All(first.Results, r => Assert.Equal(TrackOutcome.Accepted, r.Outcome));
        Assert.All(retry.Results, r => Assert.Equal(TrackOutcome.Duplicate, r.Outcome));
        var profile = await Profile(customerId);
        Assert.Equal(1, Count(profile, EventType.PageView, CounterWindow.Lifetime));
        Assert.Equal(1, Count(profile, EventType.ProductView, CounterWindow.Lifetime));
        Assert.Equal(1, profile.Transactions.OrderCount);
    }

    [Theory]
    [InlineData("occurred-at-missing", "events[2].occurred_at")]
    [InlineData("channel-unspecified", "events[2].channel")]
    [InlineData("bad-identifier", "events[2].identifiers[0].value")]
    [InlineData("missing-event-id", "events[2].event_id")]
    [InlineData("satisfaction-11", "events[2].satisfaction.score")]
    public async Task One_bad_event_rejects_the_whole_batch(string scenario, string field)
    {
        var (customerId, loyalty) = await NewCustomer();
        var before = await Profile(customerId);
        var stranger = Email("batch-stranger");
        var bad = Event(EventType.Satisfaction, loyalty);
        switch (scenario)
        {
            case "occurred-at-missing":
                bad.OccurredAt = null;
                break;
            case "channel-unspecified":
                bad.Channel = Protos.V1.Channel.Unspecified;
                break;
            case "bad-identifier":
                bad.Identifiers[0] = Phone("not a phone");
                break;
            case "missing-event-id":
                bad.EventId = string.Empty;
                break;
            case "satisfaction-11":
                bad.Satisfaction.Score = 11;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        var request = new TrackBatchRequest
        {
            Events =
            {
                Purchase(loyalty, 30m, Now().AddMinutes(-3)),
                Event(EventType.PageView, stranger),
                bad,
                Event(EventType.ProductView, loyalty),
            },
        };

        var violations = await RpcAssert.InvalidArgument(() => Client.TrackBatchAsync(request).ResponseAsync, field);

        Assert.All(violations, v => Assert.StartsWith("events[2]", v.Field, StringComparison.Ordinal));
        Assert.Equal(before, await Profile(customerId));
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = stranger }).ResponseAsync);
    }

    [Fact]
    public async Task Every_bad_event_of_a_batch_is_reported()
    {
        var loyalty = Loyalty();
        var first = Event(EventType.PageView, loyalty);
        first.EventId = string.Empty;
        var third = Event(EventType.PageView, loyalty);
        third.OccurredAt = Ts(Now().AddHours(2));

        await RpcAssert.InvalidArgument(
            () => Client.TrackBatchAsync(new TrackBatchRequest { Events = { first, Event(EventType.PageView, loyalty), third } }).ResponseAsync,
            "events[0].event_id", "events[2].occurred_at");

        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = loyalty }).ResponseAsync);
    }

    [Fact]
    public async Task An_empty_batch_is_rejected()
    {
        await RpcAssert.InvalidArgumentOnlyOn(() => Client.TrackBatchAsync(new TrackBatchRequest()).ResponseAsync, "events");
    }

    [Fact]
    public async Task A_batch_of_1001_events_is_rejected_and_applies_nothing()
    {
        var loyalty = Loyalty();
        var request = new TrackBatchRequest { Events = { Enumerable.Range(0, 1001).Select(_ => Event(EventType.PageView, loyalty)) } };

        var violations = await RpcAssert.InvalidArgument(() => Client.TrackBatchAsync(request).ResponseAsync, "events");

        Assert.Single(violations);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = loyalty }).ResponseAsync);
    }

    [Fact]
    public async Task A_batch_of_exactly_1000_events_is_accepted()
    {
        var (customerId, loyalty) = await NewCustomer();
        var request = new TrackBatchRequest { Events = { Enumerable.Range(0, 1000).Select(_ => Event(EventType.PageView, loyalty)) } };

        var response = await Client.TrackBatchAsync(request);

        Assert.Equal(1000, response.Results.Count);
        Assert.All(response.Results, r => Assert.Equal(TrackOutcome.Accepted, r.Outcome));
        Assert.Equal(1000, Count(await Profile(customerId), EventType.PageView, CounterWindow.Lifetime));
    }

    [Fact]
    public async Task Events_of_one_customer_apply_in_request_order_even_under_different_identifiers()
    {
        // Repeated because a wrong order shows up only when the two events race.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var email = Email("order");
            var phone = FrenchMobile();
            var customerId = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email, Phone(phone.National) } })).CustomerId;
            var orderId = Unique("order");
            var original = Purchase(email, 10m, Now().AddMinutes(-2), orderId: orderId);
            var resent = Purchase(Phone(phone.International), 99m, Now().AddMinutes(-1), orderId: orderId);

            var response = await Client.TrackBatchAsync(new TrackBatchRequest { Events = { original, resent } });

            Assert.Equal([customerId, customerId], response.Results.Select(r => r.CustomerId));
            Assert.Equal([TrackOutcome.Accepted, TrackOutcome.Duplicate], response.Results.Select(r => r.Outcome));
            var profile = await Profile(customerId);
            Assert.Equal(10m, Spend(profile.Transactions.TotalSpend, "EUR"));
        }
    }

    [Fact]
    public async Task A_batch_with_thousands_of_violations_still_answers_invalid_argument()
    {
        // A client with a systematic mistake (no occurred_at, no channel) sends a full batch.
        var events = Enumerable.Range(0, 1000).Select(_ =>
        {
            var e = Event(EventType.PageView, Loyalty());
            e.OccurredAt = null;
            e.Channel = Protos.V1.Channel.Unspecified;
            return e;
        });

        var violations = await RpcAssert.InvalidArgument(
            () => Client.TrackBatchAsync(new TrackBatchRequest { Events = { events } }).ResponseAsync,
            "events[0].occurred_at", "events[0].channel");

        Assert.All(violations, v => Assert.StartsWith("events", v.Field, StringComparison.Ordinal));
    }
}
