namespace ProfileGrains.Domain;

public enum IdentifierType
{
    Email = 1,
    Phone = 2,
    LoyaltyId = 3,
    AnonymousId = 4,
    CrmId = 5,
}
