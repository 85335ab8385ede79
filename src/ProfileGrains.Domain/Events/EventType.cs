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

    /// <summary>Goods brought back: refunded amount and lines.</summary>
    Return = 14,

    /// <summary>A campaign message reached the customer's inbox or phone.</summary>
    MessageDelivered = 15,

    /// <summary>A campaign message could not be delivered.</summary>
    MessageBounced = 16,

    /// <summary>The customer unsubscribed from a channel (through a campaign's link or a preference centre).</summary>
    Unsubscribe = 17,

    /// <summary>A subscription to a plan or a programme started (a replenishment plan, a paid membership...).</summary>
    SubscriptionStart = 18,

    SubscriptionStop = 19,
}
