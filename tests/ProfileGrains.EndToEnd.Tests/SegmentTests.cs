using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// Segments run on their own host: a rule matches every customer of the host, so member counts are only exact
/// when no other test creates customers there at the same time (tests of one collection run one after another).
/// </summary>
[Collection(SegmentEngineCollection.Name)]
public sealed class SegmentTests(SegmentEngineFixture engine)
{
    private SegmentService.SegmentServiceClient Segments => engine.Segments;

    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private static string SegmentId() => "seg_" + Guid.NewGuid().ToString("N");

    /// <summary>A currency no other test spends in, so a spend condition on it only matches this test's customers.</summary>
    private static string PrivateCurrency()
    {
        var n = Interlocked.Increment(ref _currencies);
        return "Q" + (char)('A' + (n / 26 % 26)) + (char)('A' + (n % 26));
    }

    private static int _currencies = Random.Shared.Next(26 * 26);

    private static Segment BuyersWithEmailConsent(string segmentId, string currency, string name = "Buyers who accept e-mail") => new()
    {
        SegmentId = segmentId,
        Name = name,
        Rule = new SegmentRule
        {
            AllOf =
            {
                new Condition { OrderCount = new OrderCountCondition { Comparison = Comparison.Ge, Value = 1 } },
                new Condition { Consent = new ConsentCondition { Channel = ContactChannel.Email, Status = ConsentStatus.Granted } },
                new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Gt, Amount = 0 } },
            },
        },
    };

    private async Task<long> MemberCount(string segmentId) => (await Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId })).MemberCount;

    [Fact]
    public async Task A_customer_who_matches_the_rule_joins_the_segment()
    {
        var segmentId = SegmentId();
        var currency = PrivateCurrency();
        var put = await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = BuyersWithEmailConsent(segmentId, currency) });
        Assert.Equal(segmentId, put.SegmentId);
        Assert.Equal(1, put.Version);
        Assert.Equal(0, put.MemberCount);
        Assert.Equal(3, put.Rule.AllOf.Count);

        var consenting = Email("consenting");
        var consentingId = (await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { consenting },
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-1)) } },
        })).CustomerId;
        var silent = Email("silent");
        var silentId = (await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { silent } })).CustomerId;

        // Consent alone is not enough.
        Assert.DoesNotContain(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(consentingId) })).SegmentIds);

        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(consenting, 25m, Now().AddMinutes(-1), currency: currency) });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(silent, 25m, Now().AddMinutes(-1), currency: currency) });

        var segments = await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(consenting) });
        Assert.Equal(consentingId, segments.CustomerId);
        Assert.Contains(segmentId, segments.SegmentIds);
        Assert.DoesNotContain(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(silentId) })).SegmentIds);
        Assert.Contains(segmentId, (await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(consentingId) })).SegmentIds);
        Assert.Contains(segmentId, (await Profiles.LookupAsync(new LookupRequest { Identifier = consenting })).SegmentIds);

        Assert.True(await Eventually(async () => await MemberCount(segmentId) == 1), "member_count did not become 1 within 5 s");

        var list = await Segments.ListSegmentsAsync(new ListSegmentsRequest());
        var listed = Assert.Single(list.Segments, s => s.SegmentId == segmentId);
        Assert.Equal("Buyers who accept e-mail", listed.Name);
        Assert.Equal(put.Rule, listed.Rule);
    }

    [Fact]
    public async Task Rules_can_target_where_customers_live_and_whether_they_write_from_a_company_address()
    {
        var segmentId = SegmentId();
        var currency = PrivateCurrency();
        var expression = $"region == \"Île-de-France\" and email_kind == \"corporate\" and spend({currency}) > 0";
        await Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment { SegmentId = segmentId, Name = "Paris business buyers", Rule = new SegmentRule { AllOf = { new Condition { Expression = expression } } } },
        });

        var parisian = new Identifier { Type = IdentifierType.Email, Value = $"buyer-{Guid.NewGuid():N}@boulangerie-martin.fr" };
        var elsewhere = new Identifier { Type = IdentifierType.Email, Value = $"buyer-{Guid.NewGuid():N}@boulangerie-martin.fr" };
        var personal = new Identifier { Type = IdentifierType.Email, Value = $"buyer-{Guid.NewGuid():N}@gmail.com" };
        foreach (var (who, postalCode) in new[] { (parisian, "75011"), (elsewhere, "69002"), (personal, "92100") })
        {
            await Profiles.IdentifyAsync(new IdentifyRequest
            {
                Identifiers = { who },
                Traits = new ProfileTraits { Addresses = { new PostalAddress { Lines = { "1 rue X" }, PostalCode = postalCode, City = "X", CountryCode = "FR" } } },
            });
            await Profiles.TrackAsync(new TrackRequest { Event = Purchase(who, 30m, Now().AddDays(-1), currency: currency) });
        }

        var member = (await Profiles.LookupAsync(new LookupRequest { Identifier = parisian })).CustomerId;
        Assert.Equal([member], (await Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId })).CustomerIds);
    }

    [Fact]
    public async Task A_rule_written_in_the_rule_language_is_evaluated_on_every_change()
    {
        var segmentId = SegmentId();
        var currency = PrivateCurrency();
        var expression = $"count(purchase, 30d) >= 2 and spend({currency}) > 50 and consent.email == granted";
        var put = await Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment { SegmentId = segmentId, Name = "Frequent buyers", Rule = new SegmentRule { AllOf = { new Condition { Expression = expression } } } },
        });
        Assert.Equal(expression, Assert.Single(put.Rule.AllOf).Expression);

        var buyer = Email("expression");
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { buyer },
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-1)) } },
        });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(buyer, 30m, Now().AddDays(-3), currency: currency) });
        Assert.DoesNotContain(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(buyer) })).SegmentIds);

        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(buyer, 30m, Now().AddMinutes(-1), currency: currency) });

        Assert.Contains(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(buyer) })).SegmentIds);
    }

    [Fact]
    public async Task A_rule_that_does_not_compile_is_refused_with_its_position()
    {
        var put = () => Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment
            {
                SegmentId = SegmentId(),
                Name = "Broken",
                Rule = new SegmentRule { AllOf = { new Condition { Expression = "count(purchase, 30d) == granted" } } },
            },
        }).ResponseAsync;

        var violations = await RpcAssert.InvalidArgument(put, "segment.rule.all_of[0].expression");
        var violation = Assert.Single(violations);
        Assert.Equal("segment.rule.all_of[0].expression", violation.Field);
        Assert.Contains("line 1, column", violation.Description, StringComparison.Ordinal);
        Assert.Contains("consent status", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_who_no_longer_matches_leaves_the_segment()
    {
        var segmentId = SegmentId();
        var currency = PrivateCurrency();
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = BuyersWithEmailConsent(segmentId, currency) });
        var email = Email("leaver");
        var granted = Now().AddDays(-1);
        var customerId = (await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, granted) } },
        })).CustomerId;
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(email, 40m, Now().AddMinutes(-1), currency: currency) });
        Assert.True(await Eventually(async () => await MemberCount(segmentId) == 1), "member_count did not become 1 within 5 s");

        await Profiles.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Denied, granted.AddHours(1), "unsubscribe-link") } },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "consents" } },
        });

        Assert.DoesNotContain(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(customerId) })).SegmentIds);
        Assert.True(await Eventually(async () => await MemberCount(segmentId) == 0), "member_count did not go back to 0 within 5 s");
    }

    [Fact]
    public async Task Event_count_and_recency_conditions_are_evaluated()
    {
        var segmentId = SegmentId();
        var currency = PrivateCurrency();
        var segment = new Segment
        {
            SegmentId = segmentId,
            Name = "Recent browsers",
            Rule = new SegmentRule
            {
                AllOf =
                {
                    new Condition { EventCount = new EventCountCondition { EventType = EventType.ProductView, Window = CounterWindow._24H, Comparison = Comparison.Ge, Value = 2 } },
                    new Condition { DaysSinceLastPurchase = new DaysSinceLastPurchaseCondition { Comparison = Comparison.Le, Days = 7 } },
                    new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Ge, Amount = 10.5 } },
                },
            },
        };
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = segment });
        var recent = Loyalty();
        var lapsed = Loyalty();
        foreach (var who in new[] { recent, lapsed })
        {
            await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, who) });
            await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, who) });
        }

        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(recent, 10.5m, Now().AddDays(-2), currency: currency) });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(lapsed, 99m, Now().AddDays(-30), currency: currency) });

        Assert.Contains(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(recent) })).SegmentIds);
        Assert.DoesNotContain(segmentId, (await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(lapsed) })).SegmentIds);
        Assert.True(await Eventually(async () => await MemberCount(segmentId) == 1), "member_count did not become 1 within 5 s");
    }

    [Fact]
    public async Task Putting_a_segment_again_increments_its_version()
    {
        var segmentId = SegmentId();
        var currency = PrivateCurrency();
        var first = await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = BuyersWithEmailConsent(segmentId, currency, "v1") });
        var changed = BuyersWithEmailConsent(segmentId, currency, "  v2  ");
        changed.Rule.AllOf.RemoveAt(1);
        changed.Version = 99; // Server-assigned: ignored.

        var second = await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = changed });
        var read = await Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId });

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(2, read.Version);
        Assert.Equal("v2", read.Name);
        Assert.Equal(2, read.Rule.AllOf.Count);
        Assert.DoesNotContain(read.Rule.AllOf, c => c.KindCase == Condition.KindOneofCase.Consent);
        var listed = Assert.Single((await Segments.ListSegmentsAsync(new ListSegmentsRequest())).Segments, s => s.SegmentId == segmentId);
        Assert.Equal(2, listed.Version);
    }

    [Theory]
    [InlineData("empty-id", "segment.segment_id")]
    [InlineData("id-with-spaces", "segment.segment_id")]
    [InlineData("id-65-chars", "segment.segment_id")]
    [InlineData("id-with-slash", "segment.segment_id")]
    [InlineData("no-name", "segment.name")]
    [InlineData("no-rule", "segment.rule.all_of")]
    [InlineData("no-conditions", "segment.rule.all_of")]
    [InlineData("33-conditions", "segment.rule.all_of")]
    [InlineData("condition-without-kind", "segment.rule.all_of[0]")]
    [InlineData("unknown-comparison", "segment.rule.all_of[0].order_count.comparison")]
    [InlineData("unspecified-comparison", "segment.rule.all_of[0].order_count.comparison")]
    [InlineData("bad-currency", "segment.rule.all_of[0].spend.currency_code")]
    [InlineData("infinite-amount", "segment.rule.all_of[0].spend.amount")]
    [InlineData("unknown-event-type", "segment.rule.all_of[0].event_count.event_type")]
    [InlineData("unknown-window", "segment.rule.all_of[0].event_count.window")]
    [InlineData("consent-unspecified-channel", "segment.rule.all_of[0].consent.channel")]
    [InlineData("consent-unknown-status", "segment.rule.all_of[0].consent.status")]
    [InlineData("negative-days", "segment.rule.all_of[0].days_since_last_purchase.days")]
    public async Task A_bad_segment_is_rejected_and_not_stored(string scenario, string field)
    {
        var segmentId = SegmentId();
        var segment = new Segment
        {
            SegmentId = segmentId,
            Name = "bad",
            Rule = new SegmentRule(),
        };
        var condition = new Condition();
        switch (scenario)
        {
            case "empty-id":
                segment.SegmentId = string.Empty;
                break;
            case "id-with-spaces":
                segment.SegmentId = "big spenders";
                break;
            case "id-65-chars":
                segment.SegmentId = new string('s', 65);
                break;
            case "id-with-slash":
                segment.SegmentId = "a/b";
                break;
            case "no-name":
                segment.Name = "  ";
                break;
            case "no-rule":
                segment.Rule = null;
                condition = null;
                break;
            case "no-conditions":
                condition = null;
                break;
            case "33-conditions":
                segment.Rule.AllOf.Add(Enumerable.Range(0, 32).Select(i => new Condition { OrderCount = new OrderCountCondition { Comparison = Comparison.Ge, Value = i } }));
                condition.OrderCount = new OrderCountCondition { Comparison = Comparison.Ge, Value = 0 };
                break;
            case "condition-without-kind":
                break;
            case "unknown-comparison":
                condition.OrderCount = new OrderCountCondition { Comparison = (Comparison)99, Value = 1 };
                break;
            case "unspecified-comparison":
                condition.OrderCount = new OrderCountCondition { Value = 1 };
                break;
            case "bad-currency":
                condition.Spend = new SpendCondition { CurrencyCode = "eur", Comparison = Comparison.Gt, Amount = 10 };
                break;
            case "infinite-amount":
                condition.Spend = new SpendCondition { CurrencyCode = "EUR", Comparison = Comparison.Gt, Amount = double.PositiveInfinity };
                break;
            case "unknown-event-type":
                condition.EventCount = new EventCountCondition { EventType = (EventType)77, Window = CounterWindow._7D, Comparison = Comparison.Ge, Value = 1 };
                break;
            case "unknown-window":
                condition.EventCount = new EventCountCondition { EventType = EventType.PageView, Window = CounterWindow.Unspecified, Comparison = Comparison.Ge, Value = 1 };
                break;
            case "consent-unknown-status":
                condition.Consent = new ConsentCondition { Channel = ContactChannel.Email, Status = (ConsentStatus)99 };
                break;
            case "consent-unspecified-channel":
                condition.Consent = new ConsentCondition { Status = ConsentStatus.Granted };
                break;
            case "negative-days":
                condition.DaysSinceLastPurchase = new DaysSinceLastPurchaseCondition { Comparison = Comparison.Le, Days = -1 };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        if (condition is not null)
        {
            segment.Rule!.AllOf.Insert(0, condition);
        }

        await RpcAssert.InvalidArgument(() => Segments.PutSegmentAsync(new PutSegmentRequest { Segment = segment }).ResponseAsync, field);

        await RpcAssert.NotFound(() => Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId }).ResponseAsync);
        Assert.DoesNotContain((await Segments.ListSegmentsAsync(new ListSegmentsRequest())).Segments, s => s.SegmentId == segment.SegmentId || s.SegmentId == segmentId);
    }

    [Fact]
    public async Task A_put_without_a_segment_is_rejected()
    {
        await RpcAssert.InvalidArgument(() => Segments.PutSegmentAsync(new PutSegmentRequest()).ResponseAsync, "segment.segment_id");
    }

    [Fact]
    public async Task An_unknown_segment_is_not_found()
    {
        await RpcAssert.NotFound(() => Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = SegmentId() }).ResponseAsync);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has spaces")]
    [InlineData("../etc")]
    public async Task A_malformed_segment_id_is_rejected_on_read(string segmentId)
    {
        await RpcAssert.InvalidArgumentOnlyOn(() => Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId }).ResponseAsync, "segment_id");
    }

    [Fact]
    public async Task Customer_segments_of_unknown_or_malformed_customers_are_refused()
    {
        await RpcAssert.NotFound(() => Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(Guid.NewGuid().ToString("N")) }).ResponseAsync);
        await RpcAssert.NotFound(() => Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(Email("nobody")) }).ResponseAsync);
        await RpcAssert.InvalidArgumentOnlyOn(() => Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest()).ResponseAsync, "customer");
        await RpcAssert.InvalidArgument(() => Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById("a b") }).ResponseAsync, "customer.customer_id");
        await RpcAssert.InvalidArgument(
            () => Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(Phone("00")) }).ResponseAsync,
            "customer.identifier.value");
    }

    [Fact]
    public async Task A_new_customer_belongs_to_no_segment()
    {
        var email = Email("fresh");
        var customerId = (await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } })).CustomerId;

        var segments = await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ByIdentifier(email) });

        Assert.Equal(customerId, segments.CustomerId);
        Assert.Empty(segments.SegmentIds);
    }
}
