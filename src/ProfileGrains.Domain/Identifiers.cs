using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
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
    public const string SectionName = "ProfileGrains:Identifiers";

    /// <summary>Region used to read phone numbers written without an international prefix (ISO 3166-1 alpha-2).</summary>
    public string DefaultPhoneRegion { get; set; } = "FR";

    /// <summary>
    /// Domains whose mailboxes ignore a "+tag" ("jean+promo@gmail.com" is "jean@gmail.com"). Off (empty) by default:
    /// folding is only right where the provider really delivers tagged addresses to one mailbox.
    /// </summary>
    public string[] PlusAddressingDomains { get; set; } = [];

    /// <summary>Loyalty ids are case-folded to upper case ("loy123" is "LOY123"): cards are read and typed both ways.</summary>
    public bool LoyaltyIdUpperCase { get; set; } = true;

    /// <summary>A .NET regular expression a loyalty id must match whole (after case folding), e.g. "^LOY[0-9]{10}$"; none by default.</summary>
    public string? LoyaltyIdPattern { get; set; }

    /// <summary>Whether the last digit of a loyalty id is a Luhn check digit over its other digits; off by default.</summary>
    public bool LoyaltyIdLuhnCheck { get; set; }
}

/// <summary>Turns raw identifier values into their canonical form, or says precisely why it cannot.</summary>
public sealed class IdentifierNormalizer
{
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();
    private readonly string _defaultRegion;
    private readonly HashSet<string> _plusAddressingDomains;
    private readonly bool _loyaltyUpperCase;
    private readonly Regex? _loyaltyPattern;
    private readonly bool _loyaltyLuhn;

    public IdentifierNormalizer(IdentifierNormalizationOptions? options = null)
    {
        options ??= new IdentifierNormalizationOptions();
        _defaultRegion = options.DefaultPhoneRegion.ToUpperInvariant();
        if (!PhoneUtil.GetSupportedRegions().Contains(_defaultRegion))
        {
            throw new ArgumentException($"'{_defaultRegion}' is not a region libphonenumber knows", nameof(options));
        }

        _plusAddressingDomains = new HashSet<string>(options.PlusAddressingDomains.Select(d => d.Trim().ToLowerInvariant()), StringComparer.Ordinal);
        _loyaltyUpperCase = options.LoyaltyIdUpperCase;
        _loyaltyLuhn = options.LoyaltyIdLuhnCheck;
        if (!string.IsNullOrWhiteSpace(options.LoyaltyIdPattern))
        {
            try
            {
                // A timeout keeps a pathological pattern from stalling the gateway on hostile input.
                _loyaltyPattern = new Regex(options.LoyaltyIdPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"LoyaltyIdPattern is not a valid regular expression: {e.Message}", nameof(options), e);
            }
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
                normalized = NormalizeLoyalty(raw, out error);
                break;
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

    private string? NormalizeLoyalty(string raw, out string error)
    {
        var value = NormalizeOpaque(raw, out error);
        if (value is null)
        {
            return null;
        }

        if (_loyaltyUpperCase)
        {
            value = value.ToUpperInvariant();
        }

        try
        {
            if (_loyaltyPattern is not null && !_loyaltyPattern.IsMatch(value))
            {
                error = $"does not match the loyalty id pattern {_loyaltyPattern}";
                return null;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            error = "could not be checked against the loyalty id pattern in time";
            return null;
        }

        if (_loyaltyLuhn && !LuhnIsValid(value))
        {
            error = "check digit is wrong (Luhn)";
            return null;
        }

        return value;
    }

    /// <summary>Luhn over the digits of the value, the last one being the check digit; at least two digits.</summary>
    internal static bool LuhnIsValid(string value)
    {
        var digits = value.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private string? NormalizeEmail(string raw, out string error)
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

        if (!IsDotAtom(local))
        {
            error = "local part must be letters, digits and !#$%&'*+/=?^_`{|}~- separated by single dots (quoted local parts are not accepted)";
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
        var foldedLocal = local.ToLowerInvariant();
        if (_plusAddressingDomains.Contains(asciiDomain) && foldedLocal.IndexOf('+', StringComparison.Ordinal) is > 0 and var plus)
        {
            foldedLocal = foldedLocal[..plus];
        }

        return foldedLocal + "@" + asciiDomain;
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

    /// <summary>RFC 5322 dot-atom, with internationalised (UTF-8) letters allowed as RFC 6531 does.</summary>
    private static bool IsDotAtom(string local)
    {
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!(char.IsLetterOrDigit(c) || c == '.' || "!#$%&'*+/=?^_`{|}~-".Contains(c, StringComparison.Ordinal)
                || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
            {
                return false;
            }
        }

        return true;
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
