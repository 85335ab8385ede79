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
