using ProfileGrains.Domain;

namespace ProfileGrains.TestSupport;

public static class GrainTestData
{
    public static CustomerIdentifier Email() => new(IdentifierType.Email, $"{Guid.NewGuid():N}@client-mail.fr");

    public static CustomerIdentifier Loyalty() => new(IdentifierType.LoyaltyId, "LOY" + Guid.NewGuid().ToString("N")[..10]);

    public static TraitsUpdate NoTraits { get; } = new(ProfileTraits.Empty, []);

    public static TrackedEvent PageView(CustomerIdentifier who, DateTimeOffset at, string? eventId = null) =>
        new(eventId ?? Guid.NewGuid().ToString("N"), EventType.PageView, at, Channel.Web, [who], new PageViewPayload("/home"));

    public static TrackedEvent Purchase(CustomerIdentifier who, DateTimeOffset at, decimal total, string? orderId = null, string? eventId = null) =>
        new(eventId ?? Guid.NewGuid().ToString("N"), EventType.Purchase, at, Channel.Store, [who],
            new PurchasePayload(orderId ?? Guid.NewGuid().ToString("N"), new Money("EUR", total), [new LineItem("SKU-1", "shoes", 1, new Money("EUR", total))], "store-42"));
}
