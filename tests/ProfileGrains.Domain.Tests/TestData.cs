namespace ProfileGrains.Domain.Tests;

/// <summary>Builders shared by the tests. Every instant is fixed: no test reads the machine clock.</summary>
internal static class TestData
{
    /// <summary>Saturday 2024-06-15 12:30:30 UTC: mid-minute, mid-hour, mid-day, so bucket alignment is visible.</summary>
    public static readonly DateTimeOffset Now = new(2024, 6, 15, 12, 30, 30, TimeSpan.Zero);

    public static readonly CustomerIdentifier Email = new(IdentifierType.Email, "alice@example.com");

    /// <summary>Identity keys as a deployment would hash them (any secret of the required length).</summary>
    public static readonly IdentityKeyHasher Keys = new("domain-tests-identity-secret");

    public static Money Eur(decimal amount) => new("EUR", amount);

    public static Money Gbp(decimal amount) => new("GBP", amount);

    public static TrackedEvent Event(
        string eventId,
        EventType type,
        EventPayload? payload,
        DateTimeOffset occurredAt,
        Channel channel = Channel.Web,
        IReadOnlyList<CustomerIdentifier>? identifiers = null) =>
        new(eventId, type, occurredAt, channel, identifiers ?? [Email], payload);

    public static TrackedEvent Purchase(
        string eventId,
        string orderId,
        Money total,
        DateTimeOffset occurredAt,
        Channel channel = Channel.Web,
        string? storeId = null,
        params LineItem[] items) =>
        Event(eventId, EventType.Purchase, new PurchasePayload(orderId, total, items, storeId), occurredAt, channel);

    public static TrackedEvent PageView(string eventId, DateTimeOffset occurredAt, string path = "/home") =>
        Event(eventId, EventType.PageView, new PageViewPayload(path), occurredAt);

    public static TrackedEvent Product(string eventId, EventType type, string? category, DateTimeOffset occurredAt, int quantity = 1) =>
        Event(eventId, type, new ProductPayload("SKU-1", category, quantity, null), occurredAt);

    public static LineItem Item(string sku, string? category, int quantity = 1, Money? unitPrice = null) =>
        new(sku, category, quantity, unitPrice);

    /// <summary>A well-formed payload for every event type.</summary>
    public static EventPayload ValidPayload(EventType type) => type switch
    {
        EventType.Purchase => new PurchasePayload("ORD-1", Eur(42.50m), [Item("SKU-1", "shoes", 2, Eur(21.25m))], null),
        EventType.ProductView or EventType.AddToCart or EventType.RemoveFromCart => new ProductPayload("SKU-1", "shoes", 1, Eur(21.25m)),
        EventType.PageView => new PageViewPayload("/products/shoes?colour=red"),
        EventType.StoreVisit => new StoreVisitPayload("STORE-PARIS-01"),
        EventType.EmailOpen or EventType.EmailClick => new CampaignPayload("summer-sale"),
        EventType.SupportContact => new SupportPayload("delivery"),
        EventType.Satisfaction => new ScorePayload(9, null),
        EventType.Review => new ScorePayload(4, "SKU-1"),
        EventType.Custom => new CustomPayload("wishlist_shared", new Dictionary<string, string> { ["list"] = "birthday" }),
        EventType.MessageSent or EventType.MessageDelivered or EventType.MessageBounced or EventType.Unsubscribe => new MessagePayload(ContactChannel.Email, "summer-sale"),
        EventType.Return => new ReturnPayload("ORD-1", Eur(21.25m), [Item("SKU-1", "shoes", 1, Eur(21.25m))], null, "too small"),
        EventType.SubscriptionStart or EventType.SubscriptionStop => new SubscriptionPayload("coffee-monthly", null),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static CustomerProfile NewProfile(string customerId = "cust-1", DateTimeOffset? createdAt = null)
    {
        var profile = new CustomerProfile();
        profile.EnsureCreated(customerId, createdAt ?? Now.AddDays(-100));
        return profile;
    }

    public static TraitsUpdate Update(ProfileTraits values, params string[] paths) => new(values, paths);

    public static ConsentDecision Consent(ContactChannel channel, ConsentStatus status, DateTimeOffset decidedAt, string? source = "web") =>
        new(channel, status, decidedAt, source);
}
