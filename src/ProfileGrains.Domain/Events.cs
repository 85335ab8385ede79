namespace ProfileGrains.Domain;

public enum EventType
{
    Purchase = 1,
    ProductView = 2,
    PageView = 3,
    AddToCart = 4,
    RemoveFromCart = 5,
    StoreVisit = 6,
    EmailOpen = 7,
    EmailClick = 8,
    SupportContact = 9,
    Satisfaction = 10,
    Review = 11,
    Custom = 12,

    /// <summary>A message the brand sent the customer (counted per channel for contact frequency caps).</summary>
    MessageSent = 13,
}

public enum Channel
{
    Unspecified = 0,
    Web = 1,
    App = 2,
    Store = 3,
    CallCentre = 4,
    Email = 5,
}

[GenerateSerializer, Immutable, Alias("pg.Money")]
public readonly record struct Money([property: Id(0)] string CurrencyCode, [property: Id(1)] decimal Amount);

[GenerateSerializer, Immutable, Alias("pg.LineItem")]
public sealed record LineItem(
    [property: Id(0)] string Sku,
    [property: Id(1)] string? Category,
    [property: Id(2)] int Quantity,
    [property: Id(3)] Money? UnitPrice);

/// <summary>What happened, by event type. Exactly one payload type matches each <see cref="EventType"/>.</summary>
[GenerateSerializer, Immutable, Alias("pg.EventPayload")]
public abstract record EventPayload;

[GenerateSerializer, Immutable, Alias("pg.PurchasePayload")]
public sealed record PurchasePayload(
    [property: Id(0)] string OrderId,
    [property: Id(1)] Money Total,
    [property: Id(2)] IReadOnlyList<LineItem> Items,
    [property: Id(3)] string? StoreId) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.ProductPayload")]
public sealed record ProductPayload(
    [property: Id(0)] string Sku,
    [property: Id(1)] string? Category,
    [property: Id(2)] int Quantity,
    [property: Id(3)] Money? UnitPrice) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.PageViewPayload")]
public sealed record PageViewPayload([property: Id(0)] string Path) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.StoreVisitPayload")]
public sealed record StoreVisitPayload([property: Id(0)] string StoreId) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.CampaignPayload")]
public sealed record CampaignPayload([property: Id(0)] string? Campaign) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.SupportPayload")]
public sealed record SupportPayload([property: Id(0)] string? Topic) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.ScorePayload")]
public sealed record ScorePayload([property: Id(0)] int Score, [property: Id(1)] string? Sku) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.MessageSentPayload")]
public sealed record MessageSentPayload([property: Id(0)] ContactChannel Channel, [property: Id(1)] string? Campaign) : EventPayload;

[GenerateSerializer, Immutable, Alias("pg.CustomPayload")]
public sealed record CustomPayload(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyDictionary<string, string> Properties) : EventPayload;

/// <summary>A validated event, identifiers already normalized.</summary>
[GenerateSerializer, Immutable, Alias("pg.TrackedEvent")]
public sealed record TrackedEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] EventType Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] Channel Channel,
    [property: Id(4)] IReadOnlyList<CustomerIdentifier> Identifiers,
    [property: Id(5)] EventPayload? Payload);
