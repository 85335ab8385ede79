using System.Security.Cryptography;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>A normalized identifier: two values that denote the same person compare equal.</summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerIdentifier")]
public readonly record struct CustomerIdentifier(
    [property: Id(0)] IdentifierType Type,
    [property: Id(1)] string Value)
{
    private const int MaxPlainKeyLength = 200;

    public static string Prefix(IdentifierType type) => type switch
    {
        IdentifierType.Email => "email",
        IdentifierType.Phone => "phone",
        IdentifierType.LoyaltyId => "loyalty",
        IdentifierType.AnonymousId => "anon",
        IdentifierType.CrmId => "crm",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown identifier type"),
    };

    /// <summary>
    /// Grain key of the identity grain. Keys are stored as varchar(512) by the ADO.NET providers, so values
    /// that could approach that are replaced by a SHA-256 digest (the readable value stays in grain state).
    /// </summary>
    public string ToGrainKey()
    {
        var prefix = Prefix(Type);
        if (Value.Length <= MaxPlainKeyLength)
        {
            return prefix + ":" + Value;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
        return prefix + "#" + Convert.ToHexStringLower(digest);
    }

    public override string ToString() => Prefix(Type) + ":" + Value;
}
