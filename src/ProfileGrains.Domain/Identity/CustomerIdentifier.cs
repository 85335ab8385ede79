namespace ProfileGrains.Domain;

/// <summary>A normalized identifier: two values that denote the same person compare equal.</summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerIdentifier")]
public readonly record struct CustomerIdentifier(
    [property: Id(0)] IdentifierType Type,
    [property: Id(1)] string Value)
{
    public static string Prefix(IdentifierType type) => type switch
    {
        IdentifierType.Email => "email",
        IdentifierType.Phone => "phone",
        IdentifierType.LoyaltyId => "loyalty",
        IdentifierType.AnonymousId => "anon",
        IdentifierType.CrmId => "crm",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown identifier type"),
    };

    public override string ToString() => Prefix(Type) + ":" + Value;
}
