using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class EventValidatorTests
{
    private static readonly DateTimeOffset Occurred = Now.AddMinutes(-3);

    private static IReadOnlyList<FieldViolation> Validate(TrackedEvent e, string prefix = "event")
    {
        var v = new Violations();
        EventValidator.Validate(e, Now, prefix, v);
        return v.Items;
    }

    private static void AssertValid(TrackedEvent e)
    {
        var items = Validate(e);
        Assert.True(items.Count == 0, "unexpected violations: " + string.Join("; ", items));
    }

    private static FieldViolation AssertOnlyViolation(TrackedEvent e, string field)
    {
        var items = Validate(e);
        Assert.True(items.Count == 1 && items[0].Field == field, $"expected one violation on {field}, got: {string.Join("; ", items)}");
        Assert.False(string.IsNullOrWhiteSpace(items[0].Description));
        return items[0];
    }

    private static TrackedEvent Of(EventType type, EventPayload? payload, Channel channel = Channel.Web) => Event("evt-1", type, payload, Occurred, channel);

    private static TrackedEvent Of(EventPayload payload, Channel channel = Channel.Web) => Of(TypeOf(payload), payload, channel);

    private static EventType TypeOf(EventPayload payload) => payload switch
    {
        PurchasePayload => EventType.Purchase,
        PageViewPayload => EventType.PageView,
        StoreVisitPayload => EventType.StoreVisit,
        CustomPayload => EventType.Custom,
        _ => throw new ArgumentOutOfRangeException(nameof(payload)),
    };

    private static PurchasePayload Order(Money total, string? storeId = null, params LineItem[] items) => new("ORD-1", total, items, storeId);

    public static TheoryData<EventType> AllTypes => new(Enum.GetValues<EventType>());

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EachType_WithItsPayload_IsValid(EventType type) => AssertValid(Of(type, ValidPayload(type)));

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EachType_WithAnotherTypesPayload_IsReportedOnPayload(EventType type)
    {
        var wrong = type == EventType.PageView ? ValidPayload(EventType.StoreVisit) : ValidPayload(EventType.PageView);
        var violation = AssertOnlyViolation(Of(type, wrong), "event.payload");
        Assert.Contains(EventValidator.ExpectedPayloadField(type), violation.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EachType_WithoutPayload_IsReportedOnPayload(EventType type) => AssertOnlyViolation(Of(type, null), "event.payload");

    [Theory]
    [InlineData(EventType.Satisfaction, EventType.Review)]
    [InlineData(EventType.RemoveFromCart, EventType.AddToCart)]
    [InlineData(EventType.ProductView, EventType.AddToCart)]
    [InlineData(EventType.EmailOpen, EventType.EmailClick)]
    public void TypesSharingAPayloadRecord_AcceptEachOthersPayload(EventType type, EventType payloadOf) =>
        AssertValid(Of(type, ValidPayload(payloadOf)));

    [Fact]
    public void ExpectedPayloadField_NamesTheProtobufOneofField()
    {
        Assert.Equal("purchase", EventValidator.ExpectedPayloadField(EventType.Purchase));
        Assert.Equal("add_to_cart", EventValidator.ExpectedPayloadField(EventType.AddToCart));
        Assert.Equal("support_contact", EventValidator.ExpectedPayloadField(EventType.SupportContact));
        Assert.Equal("payload", EventValidator.ExpectedPayloadField((EventType)99));
    }

    // ---- envelope ----

    [Fact]
    public void OccurredAt_Missing_IsRequired()
    {
        var violation = AssertOnlyViolation(Of(EventType.PageView, ValidPayload(EventType.PageView)) with { OccurredAt = default }, "event.occurred_at");
        Assert.Equal("is required", violation.Description);
    }

    [Fact]
    public void OccurredAt_UpToMaxClockSkewInTheFuture_IsAccepted_AndBeyondIsNot()
    {
        var e = Of(EventType.PageView, ValidPayload(EventType.PageView));
        AssertValid(e with { OccurredAt = Now + Limits.MaxClockSkew });
        AssertOnlyViolation(e with { OccurredAt = Now + Limits.MaxClockSkew + TimeSpan.FromTicks(1) }, "event.occurred_at");
        AssertOnlyViolation(e with { OccurredAt = Now.AddDays(1) }, "event.occurred_at");
    }

    [Fact]
    public void OccurredAt_FutureCheck_UsesInstants_NotLocalTimes()
    {
        var e = Of(EventType.PageView, ValidPayload(EventType.PageView));
        // 14:30 at +02:00 is 12:30 UTC: now, not two hours ahead.
        AssertValid(e with { OccurredAt = new DateTimeOffset(2024, 6, 15, 14, 30, 0, TimeSpan.FromHours(2)) });
    }

    [Fact]
    public void OccurredAt_BeforeTheEarliestEventTime_IsRejected()
    {
        var e = Of(EventType.PageView, ValidPayload(EventType.PageView));
        AssertValid(e with { OccurredAt = Limits.EarliestEventTime });
        AssertOnlyViolation(e with { OccurredAt = Limits.EarliestEventTime.AddTicks(-1) }, "event.occurred_at");
        AssertOnlyViolation(e with { OccurredAt = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero) }, "event.occurred_at");
    }

    [Fact]
    public void EventId_IsRequiredAndBounded()
    {
        var e = Of(EventType.PageView, ValidPayload(EventType.PageView));
        AssertOnlyViolation(e with { EventId = "" }, "event.event_id");
        AssertOnlyViolation(e with { EventId = "   " }, "event.event_id");
        AssertValid(e with { EventId = new string('e', Limits.MaxEventIdLength) });
        AssertOnlyViolation(e with { EventId = new string('e', Limits.MaxEventIdLength + 1) }, "event.event_id");
        AssertOnlyViolation(e with { EventId = "evt\u00001" }, "event.event_id");
    }

    [Fact]
    public void UnknownChannel_IsReported() =>
        AssertOnlyViolation(Of(EventType.PageView, ValidPayload(EventType.PageView), (Channel)77), "event.channel");

    [Fact]
    public void NoIdentifiers_IsReported() =>
        AssertOnlyViolation(Of(EventType.PageView, ValidPayload(EventType.PageView)) with { Identifiers = [] }, "event.identifiers");

    [Fact]
    public void UnknownType_IsReported_AndItsPayloadCannotMatch()
    {
        var fields = Validate(Of((EventType)99, ValidPayload(EventType.PageView))).Select(v => v.Field);
        Assert.Equal(["event.type", "event.payload"], fields);
    }

    [Fact]
    public void Violations_UseTheGivenPrefix_AndAreAllReported()
    {
        var e = Purchase("", "", new Money("eur", 10), default, Channel.Store, null, Item("", null, 0));
        var fields = Validate(e, "batch.events[3]").Select(v => v.Field).ToList();

        Assert.Equal(
            [
                "batch.events[3].event_id",
                "batch.events[3].occurred_at",
                "batch.events[3].purchase.order_id",
                "batch.events[3].purchase.total.currency_code",
                "batch.events[3].purchase.store_id",
                "batch.events[3].purchase.items[0].sku",
                "batch.events[3].purchase.items[0].quantity",
            ],
            fields);
    }

    // ---- purchase ----

    [Fact]
    public void Purchase_OrderIdRequired() =>
        AssertOnlyViolation(Of(new PurchasePayload(" ", Eur(10), [], null)), "event.purchase.order_id");

    [Theory]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("")]
    [InlineData("ÉUR")]
    public void Purchase_TotalCurrency_MustBeThreeUppercaseLetters(string currency) =>
        AssertOnlyViolation(Of(Order(new Money(currency, 10))), "event.purchase.total.currency_code");

    [Theory]
    [InlineData("EUR")]
    [InlineData("JPY")]
    [InlineData("XAU")]
    public void Purchase_TotalCurrency_Iso4217Codes_AreAccepted(string currency) => AssertValid(Of(Order(new Money(currency, 10))));

    [Fact]
    public void Purchase_NegativeTotal_IsRejected_ZeroAndMaximumAreAccepted()
    {
        AssertOnlyViolation(Of(Order(Eur(-0.01m))), "event.purchase.total");
        AssertValid(Of(Order(Eur(0))));
        AssertValid(Of(Order(Eur(Limits.MaxMoneyAmount))));
        AssertOnlyViolation(Of(Order(Eur(Limits.MaxMoneyAmount + 0.01m))), "event.purchase.total");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(Limits.MaxItemQuantity, true)]
    [InlineData(Limits.MaxItemQuantity + 1, false)]
    public void Purchase_LineItemQuantity_Bounds(int quantity, bool valid)
    {
        var e = Of(Order(Eur(10), null, Item("SKU-1", "shoes"), Item("SKU-2", "shoes", quantity)));
        if (valid)
        {
            AssertValid(e);
        }
        else
        {
            AssertOnlyViolation(e, "event.purchase.items[1].quantity");
        }
    }

    [Fact]
    public void Purchase_ItemCurrency_MustBeTheTotalsCurrency()
    {
        AssertValid(Of(Order(Eur(10), null, Item("A", null, 1, Eur(10)))));
        AssertOnlyViolation(Of(Order(Eur(10), null, Item("A", null, 1, Eur(5)), Item("B", null, 1, Gbp(5)))), "event.purchase.items[1].unit_price.currency_code");
    }

    [Fact]
    public void Purchase_ItemFields_AreChecked()
    {
        AssertOnlyViolation(Of(Order(Eur(10), null, Item(" ", null))), "event.purchase.items[0].sku");
        AssertOnlyViolation(Of(Order(Eur(10), null, Item("A", "cat\u0007"))), "event.purchase.items[0].category");
        AssertOnlyViolation(Of(Order(Eur(10), null, Item("A", null, 1, Eur(-1)))), "event.purchase.items[0].unit_price");
    }

    [Fact]
    public void Purchase_TooManyLineItems_IsReportedOnce()
    {
        var items = Enumerable.Range(0, Limits.MaxLineItems + 1).Select(i => Item("SKU-" + i, null)).ToArray();
        AssertOnlyViolation(Of(Order(Eur(10), null, items)), "event.purchase.items");
        AssertValid(Of(Order(Eur(10), null, items[..Limits.MaxLineItems])));
    }

    [Fact]
    public void Purchase_StoreId_IsRequiredOnlyInStore()
    {
        AssertOnlyViolation(Of(Order(Eur(10)), Channel.Store), "event.purchase.store_id");
        AssertValid(Of(Order(Eur(10), "STORE-1"), Channel.Store));
        AssertValid(Of(Order(Eur(10)), Channel.Web));
        AssertValid(Of(Order(Eur(10)), Channel.App));
        AssertOnlyViolation(Of(Order(Eur(10), new string('s', Limits.MaxShortTextLength + 1)), Channel.Web), "event.purchase.store_id");
    }

    // ---- scores ----

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Satisfaction_ScoreIs0To10(int score, bool valid)
    {
        var e = Of(EventType.Satisfaction, new ScorePayload(score, null));
        if (valid)
        {
            AssertValid(e);
        }
        else
        {
            AssertOnlyViolation(e, "event.satisfaction.score");
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Review_RatingIs1To5(int rating, bool valid)
    {
        var e = Of(EventType.Review, new ScorePayload(rating, "SKU-1"));
        if (valid)
        {
            AssertValid(e);
        }
        else
        {
            AssertOnlyViolation(e, "event.review.rating");
        }
    }

    // ---- products, pages, stores ----

    [Theory]
    [InlineData(EventType.AddToCart, "event.add_to_cart.quantity")]
    [InlineData(EventType.RemoveFromCart, "event.remove_from_cart.quantity")]
    public void CartChanges_NeedAQuantity(EventType type, string field)
    {
        AssertOnlyViolation(Of(type, new ProductPayload("SKU-1", null, 0, null)), field);
        AssertOnlyViolation(Of(type, new ProductPayload("SKU-1", null, Limits.MaxItemQuantity + 1, null)), field);
    }

    [Fact]
    public void ProductView_DoesNotCheckQuantity_ButNeedsASku()
    {
        AssertValid(Of(EventType.ProductView, new ProductPayload("SKU-1", null, 0, null)));
        AssertOnlyViolation(Of(EventType.ProductView, new ProductPayload("", null, 1, null)), "event.product_view.sku");
        AssertOnlyViolation(Of(EventType.ProductView, new ProductPayload("SKU-1", null, 1, new Money("usd", 1))), "event.product_view.unit_price.currency_code");
    }

    [Fact]
    public void PageView_PathIsRequiredAndBounded()
    {
        AssertOnlyViolation(Of(new PageViewPayload("")), "event.page_view.path");
        AssertValid(Of(new PageViewPayload("/" + new string('p', Limits.MaxPathLength - 1))));
        AssertOnlyViolation(Of(new PageViewPayload("/" + new string('p', Limits.MaxPathLength))), "event.page_view.path");
    }

    [Fact]
    public void StoreVisit_NeedsAStore() => AssertOnlyViolation(Of(new StoreVisitPayload(" ")), "event.store_visit.store_id");

    [Fact]
    public void OptionalTexts_AreCheckedWhenPresent()
    {
        AssertValid(Of(EventType.EmailClick, new CampaignPayload(null)));
        AssertOnlyViolation(Of(EventType.EmailClick, new CampaignPayload(new string('c', Limits.MaxShortTextLength + 1))), "event.email_click.campaign");
        AssertValid(Of(EventType.SupportContact, new SupportPayload(null)));
        AssertOnlyViolation(Of(EventType.SupportContact, new SupportPayload("late\u001b[0m")), "event.support_contact.topic");
        AssertOnlyViolation(Of(EventType.Review, new ScorePayload(5, "SKU\r\n")), "event.review.sku");
    }

    // ---- custom events ----

    private static CustomPayload Custom(Dictionary<string, string> properties, string name = "wishlist_shared") => new(name, properties);

    [Fact]
    public void Custom_NameRequired() => AssertOnlyViolation(Of(Custom([], "")), "event.custom.name");

    [Fact]
    public void Custom_PropertyCount_IsLimited()
    {
        var atLimit = Enumerable.Range(0, Limits.MaxCustomProperties).ToDictionary(i => "p" + i, i => "v");
        AssertValid(Of(Custom(atLimit)));

        atLimit["one-more"] = "v";
        AssertOnlyViolation(Of(Custom(atLimit)), "event.custom.properties");
    }

    [Fact]
    public void Custom_PropertyKeyAndValueLength_AreLimited()
    {
        var key = new string('k', Limits.MaxPropertyKeyLength);
        var value = new string('v', Limits.MaxPropertyValueLength);
        AssertValid(Of(Custom(new() { [key] = value })));
        AssertOnlyViolation(Of(Custom(new() { [key + "k"] = "v" })), "event.custom.properties");
        AssertOnlyViolation(Of(Custom(new() { ["colour"] = value + "v" })), "event.custom.properties[colour]");
        AssertOnlyViolation(Of(Custom(new() { [" "] = "v" })), "event.custom.properties");
        AssertValid(Of(Custom(new() { ["empty-value-is-fine"] = "" })));
    }

    // ---- unicode ----

    [Theory]
    [InlineData("🛍️ Soldes d'été 🎉")] // emoji with variation selector and surrogate pairs
    [InlineData("👩‍👩‍👧‍👦")] // zero-width-joiner emoji sequence
    [InlineData("購入した商品のレビュー")] // CJK
    [InlineData("한국어 텍스트")] // Hangul
    [InlineData("مرحبا بالعالم")] // Arabic, right to left
    [InlineData("\u200fשלום עולם\u200e")] // Hebrew with RTL/LTR marks (format characters, not control)
    [InlineData("Zoë Nguyễn Ångström")] // Latin with diacritics
    [InlineData("e\u0301\u0327")] // combining marks
    [InlineData("𝔘𝔫𝔦𝔠𝔬𝔡𝔢")] // astral plane letters
    public void UnicodeText_IsAccepted(string text)
    {
        AssertValid(Of(Custom(new() { ["note"] = text, [text] = "key can be unicode too" }, text)));
        AssertValid(Of(new PageViewPayload("/search?q=" + text)));
        AssertValid(Of(EventType.Purchase, new PurchasePayload(text, Eur(1), [Item(text, text)], text)));
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0007")]
    [InlineData("\t")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\u001b")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    [InlineData("\u009f")]
    public void ControlCharacters_AreRejected(string control)
    {
        AssertOnlyViolation(Of(Custom(new() { ["note"] = "bad" + control + "value" })), "event.custom.properties[note]");
        AssertOnlyViolation(Of(Custom(new() { ["k" + control] = "v" })), "event.custom.properties");
        AssertOnlyViolation(Of(new PageViewPayload("/a" + control)), "event.page_view.path");
        AssertOnlyViolation(Of(Custom([], "name" + control)), "event.custom.name");
    }

    [Fact]
    public void TextLimits_CountUtf16CodeUnits_SoAstralCharactersCountTwice()
    {
        var emoji = string.Concat(Enumerable.Repeat("🙂", Limits.MaxShortTextLength / 2));
        AssertValid(Of(new StoreVisitPayload(emoji)));
        AssertOnlyViolation(Of(new StoreVisitPayload(emoji + "🙂")), "event.store_visit.store_id");
    }

    // ---- Violations helpers ----

    [Theory]
    [InlineData("EUR", true)]
    [InlineData("eur", false)]
    [InlineData("EU", false)]
    [InlineData(null, false)]
    public void IsCurrencyCode(string? code, bool expected) => Assert.Equal(expected, Violations.IsCurrencyCode(code));

    [Fact]
    public void RequireMoney_AllowNegative_AcceptsRefundsWithinTheLimit()
    {
        var v = new Violations();
        Assert.True(v.RequireMoney("refund", Eur(-50), allowNegative: true));
        Assert.False(v.RequireMoney("refund", Eur(-Limits.MaxMoneyAmount - 1), allowNegative: true));
        Assert.False(v.RequireMoney("missing", null));
        Assert.True(v.RequireMoney("optional", null, required: false));
        Assert.Equal(["refund", "missing"], v.Items.Select(i => i.Field));
        Assert.False(v.IsEmpty);
    }

    public static TheoryData<EventType, EventPayload, string> BadNewPayloads => new()
    {
        { EventType.Purchase, new PurchasePayload("ORD-1", Eur(10m), [], null, Discount: Gbp(1m)), "event.purchase.discount.currency_code" },
        { EventType.Purchase, new PurchasePayload("ORD-1", Eur(10m), [], null, PaymentInstrument: "4111 1111 1111 1111"), "event.purchase.payment_instrument" },
        { EventType.Purchase, new PurchasePayload("ORD-1", Eur(10m), [], null, PaymentKind: (PaymentKind)99), "event.purchase.payment_kind" },
        { EventType.Purchase, new PurchasePayload("ORD-1", Eur(10m), [new LineItem("SKU", null, 1, null, Eur(-1m))], null), "event.purchase.items[0].discount" },
        { EventType.Return, new ReturnPayload("", Eur(10m), [], null, null), "event.product_return.order_id" },
        { EventType.Return, new ReturnPayload("ORD-1", Eur(10m), [Item("SKU", null, 0)], null, null), "event.product_return.items[0].quantity" },
        { EventType.Satisfaction, new ScorePayload(7, null, new string('x', Limits.MaxCommentLength + 1)), "event.satisfaction.comment" },
        { EventType.Review, new ScorePayload(0, null, null, Suggestion: true), "event.review.text" },
        { EventType.Review, new ScorePayload(0, "SKU", "no rating"), "event.review.rating" },
        { EventType.SupportContact, new SupportPayload("delivery", (SupportOutcome)42), "event.support_contact.outcome" },
        { EventType.Unsubscribe, new MessagePayload(ContactChannel.All, "c"), "event.unsubscribe.channel" },
        { EventType.MessageDelivered, new MessagePayload(ContactChannel.Sms, new string('c', Limits.MaxShortTextLength + 1)), "event.message_delivered.campaign" },
        { EventType.SubscriptionStart, new SubscriptionPayload("", null), "event.subscription_start.plan" },
        { EventType.EmailClick, new CampaignPayload("c", (ContactChannel)77), "event.email_click.channel" },
    };

    [Theory]
    [MemberData(nameof(BadNewPayloads))]
    public void Each_new_payload_field_is_checked_and_named(EventType type, EventPayload payload, string field) =>
        AssertOnlyViolation(Of(type, payload), field);

    [Theory]
    [InlineData("tok_4111111111111111", true)] // a PAN inside a "token"
    [InlineData("4111-1111-1111-1111", true)]
    [InlineData("4111111111111112", false)] // fails the Luhn check
    [InlineData("pm_1NqZ8x2eZvKYlo2C", false)]
    [InlineData("12345678901234567890123", false)] // a long numeric reference, not a card
    public void A_card_number_is_recognised_wherever_a_token_should_be(string text, bool isCard) =>
        Assert.Equal(isCard, PaymentCards.ContainsCardNumber(text));
}
