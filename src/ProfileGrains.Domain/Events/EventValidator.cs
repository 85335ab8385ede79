namespace ProfileGrains.Domain;

/// <summary>Checks an event's own fields; identifiers are normalized (and validated) before this runs.</summary>
public static class EventValidator
{
    public static void Validate(TrackedEvent e, DateTimeOffset now, FieldPath prefix, Violations violations)
    {
        violations.RequireText(prefix.Then("event_id"), e.EventId, Limits.MaxEventIdLength);
        if (!Enum.IsDefined(e.Type))
        {
            violations.Add(prefix.Then("type"), "must be a known event type");
        }

        if (e.OccurredAt == default)
        {
            violations.Add(prefix.Then("occurred_at"), "is required");
        }
        else if (e.OccurredAt > now + Limits.MaxClockSkew)
        {
            violations.Add(prefix.Then("occurred_at"), $"must not be more than {Limits.MaxClockSkew.TotalMinutes:0} minutes in the future");
        }
        else if (e.OccurredAt < Limits.EarliestEventTime)
        {
            violations.Add(prefix.Then("occurred_at"), $"must not be before {Limits.EarliestEventTime:yyyy-MM-dd}");
        }

        if (!Enum.IsDefined(e.Channel))
        {
            violations.Add(prefix.Then("channel"), "must be a known channel");
        }

        if (e.Identifiers.Count == 0)
        {
            violations.Add(prefix.Then("identifiers"), "at least one identifier is required");
        }

        ValidatePayload(e, prefix, violations);
    }

    private static void ValidatePayload(TrackedEvent e, FieldPath prefix, Violations v)
    {
        var expected = ExpectedPayloadField(e.Type);
        var field = prefix.Then(expected);
        switch (e.Type, e.Payload)
        {
            case (EventType.Purchase, PurchasePayload p):
                Purchase(p, e.Channel, field, v);
                break;
            case (EventType.ProductView or EventType.AddToCart or EventType.RemoveFromCart, ProductPayload p):
                v.RequireText(field.Then("sku"), p.Sku, Limits.MaxShortTextLength);
                v.RequireText(field.Then("category"), p.Category, Limits.MaxShortTextLength, required: false);
                if (e.Type != EventType.ProductView && p.Quantity is < 1 or > Limits.MaxItemQuantity)
                {
                    v.Add(field.Then("quantity"), $"must be between 1 and {Limits.MaxItemQuantity}");
                }

                v.RequireMoney(field.Then("unit_price"), p.UnitPrice, required: false);
                break;
            case (EventType.PageView, PageViewPayload p):
                v.RequireText(field.Then("path"), p.Path, Limits.MaxPathLength);
                break;
            case (EventType.StoreVisit, StoreVisitPayload p):
                v.RequireText(field.Then("store_id"), p.StoreId, Limits.MaxShortTextLength);
                break;
            case (EventType.EmailOpen or EventType.EmailClick, CampaignPayload p):
                v.RequireText(field.Then("campaign"), p.Campaign, Limits.MaxShortTextLength, required: false);
                MessageChannel(p.Channel, field, v);
                break;
            case (EventType.SupportContact, SupportPayload p):
                v.RequireText(field.Then("topic"), p.Topic, Limits.MaxShortTextLength, required: false);
                if (!Enum.IsDefined(p.Outcome))
                {
                    v.Add(field.Then("outcome"), "must be a known support outcome");
                }

                break;
            case (EventType.Return, ReturnPayload p):
                Return(p, field, v);
                break;
            case (EventType.SubscriptionStart or EventType.SubscriptionStop, SubscriptionPayload p):
                v.RequireText(field.Then("plan"), p.Plan, Limits.MaxShortTextLength);
                v.RequireText(field.Then("reason"), p.Reason, Limits.MaxShortTextLength, required: false);
                break;
            case (EventType.Satisfaction or EventType.Review, ScorePayload p):
                Score(e.Type, p, field, v);
                break;
            case (EventType.MessageSent or EventType.MessageDelivered or EventType.MessageBounced or EventType.Unsubscribe, MessagePayload p):
                MessageChannel(p.Channel, field, v);
                v.RequireText(field.Then("campaign"), p.Campaign, Limits.MaxShortTextLength, required: false);
                break;
            case (EventType.Custom, CustomPayload p):
                Custom(p, field, v);
                break;
            default:
                v.Add(prefix.Then("payload"), $"event type {e.Type} needs the '{expected}' payload");
                break;
        }
    }

    private static void MessageChannel(ContactChannel channel, FieldPath field, Violations v)
    {
        if (!Enum.IsDefined(channel) || channel == ContactChannel.All)
        {
            v.Add(field.Then("channel"), "must be email, sms, phone, post, push or in_store");
        }
    }

    private static void Purchase(PurchasePayload p, Channel channel, FieldPath field, Violations v)
    {
        v.RequireText(field.Then("order_id"), p.OrderId, Limits.MaxShortTextLength);
        v.RequireMoney(field.Then("total"), p.Total);
        v.RequireText(field.Then("store_id"), p.StoreId, Limits.MaxShortTextLength, required: channel == Channel.Store);
        Discount(p.Discount, p.Total.CurrencyCode, field.Then("discount"), v);
        if (!Enum.IsDefined(p.PaymentKind))
        {
            v.Add(field.Then("payment_kind"), "must be a known payment kind");
        }

        if (v.RequireText(field.Then("payment_instrument"), p.PaymentInstrument, Limits.MaxPaymentInstrumentLength, required: false)
            && PaymentCards.ContainsCardNumber(p.PaymentInstrument))
        {
            v.Add(field.Then("payment_instrument"), "must be the payment provider's token or fingerprint, never a card number");
        }

        Lines(p.Items, p.Total.CurrencyCode, field, v);
    }

    private static void Return(ReturnPayload p, FieldPath field, Violations v)
    {
        v.RequireText(field.Then("order_id"), p.OrderId, Limits.MaxShortTextLength);
        v.RequireMoney(field.Then("refund"), p.Refund);

        v.RequireText(field.Then("store_id"), p.StoreId, Limits.MaxShortTextLength, required: false);
        v.RequireText(field.Then("reason"), p.Reason, Limits.MaxShortTextLength, required: false);
        Lines(p.Items, p.Refund.CurrencyCode, field, v);
    }

    /// <summary>A discount is an amount off (never negative) in the currency of what it applies to.</summary>
    private static void Discount(Money? discount, string currency, FieldPath field, Violations v)
    {
        if (discount is { } d && v.RequireMoney(field, d, required: false) && d.CurrencyCode != currency)
        {
            v.Add(field + ".currency_code", "must be the currency of the order total");
        }
    }

    private static void Lines(IReadOnlyList<LineItem> items, string currency, FieldPath field, Violations v)
    {
        if (items.Count > Limits.MaxLineItems)
        {
            v.Add(field.Then("items"), $"at most {Limits.MaxLineItems} line items");
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemField = field.Then("items").At(i);
            v.RequireText(itemField.Then("sku"), item.Sku, Limits.MaxShortTextLength);
            v.RequireText(itemField.Then("category"), item.Category, Limits.MaxShortTextLength, required: false);
            if (item.Quantity is < 1 or > Limits.MaxItemQuantity)
            {
                v.Add(itemField.Then("quantity"), $"must be between 1 and {Limits.MaxItemQuantity}");
            }

            v.RequireMoney(itemField.Then("unit_price"), item.UnitPrice, required: false);
            if (item.UnitPrice is { } price && price.CurrencyCode != currency)
            {
                v.Add(itemField + ".unit_price.currency_code", "must be the currency of the order total");
            }

            Discount(item.Discount, currency, itemField.Then("discount"), v);
        }
    }

    /// <summary>Satisfaction is scored 0-10 (NPS), a review is rated 1-5 and may name its product.</summary>
    private static void Score(EventType type, ScorePayload p, FieldPath field, Violations v)
    {
        if (type == EventType.Satisfaction)
        {
            if (p.Score is < 0 or > 10)
            {
                v.Add(field.Then("score"), "must be between 0 and 10");
            }

            v.RequireText(field.Then("comment"), p.Text, Limits.MaxCommentLength, required: false);
            return;
        }

        if (p.Suggestion ? p.Score is < 0 or > 5 : p.Score is < 1 or > 5)
        {
            v.Add(field.Then("rating"), p.Suggestion ? "must be between 1 and 5, or 0 for a suggestion without a rating" : "must be between 1 and 5");
        }

        v.RequireText(field.Then("sku"), p.Sku, Limits.MaxShortTextLength, required: false);
        v.RequireText(field.Then("text"), p.Text, Limits.MaxCommentLength, required: p.Suggestion);
    }

    private static void Custom(CustomPayload p, FieldPath field, Violations v)
    {
        v.RequireText(field.Then("name"), p.Name, Limits.MaxShortTextLength);
        if (p.Properties.Count > Limits.MaxCustomProperties)
        {
            v.Add(field.Then("properties"), $"at most {Limits.MaxCustomProperties} properties");
            return;
        }

        foreach (var (key, value) in p.Properties)
        {
            if (v.RequireText(field.Then("properties"), key, Limits.MaxPropertyKeyLength))
            {
                v.RequireText($"{field}.properties[{key}]", value, Limits.MaxPropertyValueLength, required: false);
            }
        }
    }

    /// <summary>The protobuf field that carries the payload of an event type.</summary>
    public static string ExpectedPayloadField(EventType type) => type switch
    {
        EventType.Purchase => "purchase",
        EventType.ProductView => "product_view",
        EventType.PageView => "page_view",
        EventType.AddToCart => "add_to_cart",
        EventType.RemoveFromCart => "remove_from_cart",
        EventType.StoreVisit => "store_visit",
        EventType.EmailOpen => "email_open",
        EventType.EmailClick => "email_click",
        EventType.SupportContact => "support_contact",
        EventType.Satisfaction => "satisfaction",
        EventType.Review => "review",
        EventType.Custom => "custom",
        EventType.MessageSent => "message_sent",
        EventType.Return => "product_return",
        EventType.MessageDelivered => "message_delivered",
        EventType.MessageBounced => "message_bounced",
        EventType.Unsubscribe => "unsubscribe",
        EventType.SubscriptionStart => "subscription_start",
        EventType.SubscriptionStop => "subscription_stop",
        _ => "payload",
    };
}
