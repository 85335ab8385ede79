using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PhoneNumbers;

namespace ProfileGrains.Domain;

public enum IdentifierType
{
    Email = 1,
    Phone = 2,
    LoyaltyId = 3,
    AnonymousId = 4,
    CrmId = 5,
}

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

public sealed class IdentifierNormalizationOptions
{
    /// <summary>Region used to read phone numbers written without an international prefix (ISO 3166-1 alpha-2).</summary>
    public string DefaultPhoneRegion { get; set; } = "FR";
}

/// <summary>Turns raw identifier values into their canonical form, or says precisely why it cannot.</summary>
public sealed class IdentifierNormalizer
{
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();
    private readonly string _defaultRegion;

    public IdentifierNormalizer(IdentifierNormalizationOptions? options = null)
    {
        _defaultRegion = (options ?? new IdentifierNormalizationOptions()).DefaultPhoneRegion.ToUpperInvariant();
        if (!PhoneUtil.GetSupportedRegions().Contains(_defaultRegion))
        {
            throw new ArgumentException($"'{_defaultRegion}' is not a region libphonenumber knows", nameof(options));
        }
    }

    public bool TryNormalize(IdentifierType type, string? raw, out CustomerIdentifier identifier, out string error)
    {
        identifier = default;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "must not be empty";
            return false;
        }

        if (raw.Length > Limits.MaxRawIdentifierLength)
        {
            error = $"must be at most {Limits.MaxRawIdentifierLength} characters";
            return false;
        }

        string? normalized;
        switch (type)
        {
            case IdentifierType.Email:
                normalized = NormalizeEmail(raw, out error);
                break;
            case IdentifierType.Phone:
                normalized = NormalizePhone(raw, out error);
                break;
            case IdentifierType.LoyaltyId:
            case IdentifierType.AnonymousId:
            case IdentifierType.CrmId:
                normalized = NormalizeOpaque(raw, out error);
                break;
            default:
                error = "identifier type must be specified";
                return false;
        }

        if (normalized is null)
        {
            return false;
        }

        identifier = new CustomerIdentifier(type, normalized);
        return true;
    }

    private static string? NormalizeEmail(string raw, out string error)
    {
        var value = raw.Trim().Normalize(NormalizationForm.FormC);
        if (ContainsControlOrWhitespace(value))
        {
            error = "must not contain spaces or control characters";
            return null;
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.IndexOf('@') != at)
        {
            error = "must be one local part, '@', and a domain";
            return null;
        }

        var local = value[..at];
        var domain = value[(at + 1)..].TrimEnd('.');
        if (local.Length > 64)
        {
            error = "local part must be at most 64 characters";
            return null;
        }

        string asciiDomain;
        try
        {
            // One canonical form for internationalised domains: "bücher.de" and "xn--bcher-kva.de" are the same.
            asciiDomain = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "domain is not a valid host name";
            return null;
        }

        if (!asciiDomain.Contains('.', StringComparison.Ordinal))
        {
            error = "domain must contain a dot";
            return null;
        }

        error = string.Empty;
        return local.ToLowerInvariant() + "@" + asciiDomain;
    }

    private string? NormalizePhone(string raw, out string error)
    {
        PhoneNumber number;
        try
        {
            var value = raw.Trim();
            // "0033 6 ..." is the international prefix as dialled from France and most of Europe.
            if (value.StartsWith("00", StringComparison.Ordinal))
            {
                value = "+" + value[2..];
            }

            number = PhoneUtil.Parse(value, _defaultRegion);
        }
        catch (NumberParseException e)
        {
            error = "is not a phone number: " + e.ErrorType;
            return null;
        }

        if (!PhoneUtil.IsValidNumber(number))
        {
            error = "is not a valid phone number for its region";
            return null;
        }

        error = string.Empty;
        return PhoneUtil.Format(number, PhoneNumberFormat.E164);
    }

    private static string? NormalizeOpaque(string raw, out string error)
    {
        var value = raw.Trim().Normalize(NormalizationForm.FormC);
        if (value.Length > Limits.MaxOpaqueIdentifierLength)
        {
            error = $"must be at most {Limits.MaxOpaqueIdentifierLength} characters";
            return null;
        }

        if (ContainsControlOrWhitespace(value))
        {
            error = "must not contain spaces or control characters";
            return null;
        }

        error = string.Empty;
        return value;
    }

    private static bool ContainsControlOrWhitespace(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return true;
            }
        }

        return false;
    }
}
