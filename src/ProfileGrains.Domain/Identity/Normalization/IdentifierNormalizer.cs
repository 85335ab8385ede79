using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace ProfileGrains.Domain;

/// <summary>Turns raw identifier values into their canonical form, or says precisely why it cannot.</summary>
/// <remarks>
/// Every type: not empty, at most <see cref="Limits.MaxRawIdentifierLength"/> characters as received, well-formed
/// Unicode. Emails: trimmed, NFC, one '@'; local part an RFC 5322 dot-atom (UTF-8 letters allowed as in RFC 6531, no
/// quoted form) of at most 64 characters, folded to lower case; domain in its IDNA ASCII form, lower case, at most 253
/// characters, labels 1-63 characters, a dot, a top-level domain that is not all digits; the address at most 254
/// characters; then the optional domain aliases, dot and plus folding. Phones: digits of any script, any space, '+',
/// dashes and . ( ) / only (no letters, so no extensions), read by libphonenumber ("00" read as "+"), valid,
/// optionally of an allowed type, written E.164. Loyalty ids: opaque rules, upper case by default, optional whole-value pattern and check digit. Anonymous
/// and CRM ids: trimmed, NFC, at most <see cref="Limits.MaxOpaqueIdentifierLength"/> characters, no whitespace,
/// control or format characters, case kept. The result is stable: normalizing a normalized value gives it back.
/// </remarks>
public sealed class IdentifierNormalizer
{
    private const int MaxLocalPartLength = 64;
    private const int MaxDomainLength = 253;
    private const int MaxDomainLabelLength = 63;
    private const int MaxEmailLength = 254;
    private const string AtextSpecials = "!#$%&'*+/=?^_`{|}~-";

    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();
    private static readonly TimeSpan LoyaltyPatternTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly string _defaultRegion;
    private readonly HashSet<PhoneNumberKind> _allowedPhoneTypes = [];
    private readonly Dictionary<string, string> _domainAliases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _plusAddressingDomains;
    private readonly HashSet<string> _dotInsensitiveDomains;
    private readonly bool _loyaltyUpperCase;
    private readonly string? _loyaltyPatternText;
    private readonly Regex? _loyaltyPattern;
    private readonly CheckDigitAlgorithm _loyaltyCheckDigit;

    public IdentifierNormalizer(IdentifierNormalizationOptions? options = null)
    {
        options ??= new IdentifierNormalizationOptions();
        _defaultRegion = (options.DefaultPhoneRegion ?? string.Empty).Trim().ToUpperInvariant();
        if (!PhoneUtil.GetSupportedRegions().Contains(_defaultRegion))
        {
            throw new ArgumentException($"'{_defaultRegion}' is not a region libphonenumber knows", nameof(options));
        }

        foreach (var kind in options.AllowedPhoneTypes ?? [])
        {
            if (!Enum.IsDefined(kind))
            {
                throw new ArgumentException(
                    $"AllowedPhoneTypes: {(int)kind} is not one of {string.Join(", ", Enum.GetNames<PhoneNumberKind>())}", nameof(options));
            }

            _allowedPhoneTypes.Add(kind);
        }

        foreach (var (from, to) in options.DomainAliases ?? [])
        {
            var alias = ConfiguredDomain(nameof(options.DomainAliases), from);
            var target = ConfiguredDomain(nameof(options.DomainAliases), to);
            if (alias == target)
            {
                continue;
            }

            if (_domainAliases.TryGetValue(alias, out var other) && other != target)
            {
                throw new ArgumentException($"DomainAliases: '{alias}' is mapped both to '{other}' and to '{target}'", nameof(options));
            }

            _domainAliases[alias] = target;
        }

        foreach (var (alias, target) in _domainAliases)
        {
            if (_domainAliases.ContainsKey(target))
            {
                throw new ArgumentException(
                    $"DomainAliases: '{alias}' maps to '{target}', which is itself an alias; map it straight to the final domain", nameof(options));
            }
        }

        _plusAddressingDomains = ConfiguredDomainSet(nameof(options.PlusAddressingDomains), options.PlusAddressingDomains);
        _dotInsensitiveDomains = ConfiguredDomainSet(nameof(options.DotInsensitiveDomains), options.DotInsensitiveDomains);

        _loyaltyUpperCase = options.LoyaltyIdUpperCase;
        _loyaltyCheckDigit = options.LoyaltyCheckDigit;
        if (!Enum.IsDefined(_loyaltyCheckDigit))
        {
            throw new ArgumentException(
                $"LoyaltyCheckDigit: {(int)_loyaltyCheckDigit} is not one of {string.Join(", ", Enum.GetNames<CheckDigitAlgorithm>())}", nameof(options));
        }

        if (options.LoyaltyIdLuhnCheck)
        {
            if (_loyaltyCheckDigit == CheckDigitAlgorithm.Mod97)
            {
                throw new ArgumentException("LoyaltyIdLuhnCheck and LoyaltyCheckDigit = Mod97 contradict each other; set only LoyaltyCheckDigit", nameof(options));
            }

            _loyaltyCheckDigit = CheckDigitAlgorithm.Luhn;
        }

        if (!string.IsNullOrWhiteSpace(options.LoyaltyIdPattern))
        {
            _loyaltyPatternText = options.LoyaltyIdPattern;
            try
            {
                // Validates the pattern as written (wrapping could hide an unbalanced parenthesis).
                _ = new Regex(_loyaltyPatternText, RegexOptions.CultureInvariant, LoyaltyPatternTimeout);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"LoyaltyIdPattern is not a valid regular expression: {e.Message}", nameof(options), e);
            }

            try
            {
                // Anchored so the pattern must match the whole value ("LOY[0-9]{10}" does not accept "XLOY0000000001Y"),
                // and a timeout keeps a pathological pattern from stalling the gateway on hostile input.
                _loyaltyPattern = new Regex(@"\A(?:" + _loyaltyPatternText + @")\z", RegexOptions.CultureInvariant, LoyaltyPatternTimeout);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"LoyaltyIdPattern cannot be applied to the whole value (does it end in a # comment?): {e.Message}", nameof(options), e);
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

        if (HasLoneSurrogate(raw))
        {
            error = "must be valid Unicode text (it contains a lone surrogate)";
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

    // ---- loyalty ids ----

    private string? NormalizeLoyalty(string raw, out string error)
    {
        var value = NormalizeOpaque(raw, out error);
        if (value is null)
        {
            return null;
        }

        if (_loyaltyUpperCase)
        {
            value = value.ToUpperInvariant().Normalize(NormalizationForm.FormC);
        }

        try
        {
            if (_loyaltyPattern is not null && !_loyaltyPattern.IsMatch(value))
            {
                error = $"does not match the loyalty id pattern {_loyaltyPatternText}";
                return null;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            error = "could not be checked against the loyalty id pattern in time";
            return null;
        }

        switch (_loyaltyCheckDigit)
        {
            case CheckDigitAlgorithm.Luhn when CheckDigits.CountDigits(value) < CheckDigits.LuhnMinDigits:
                error = $"check digit is missing: a Luhn check needs at least {CheckDigits.LuhnMinDigits} digits";
                return null;
            case CheckDigitAlgorithm.Luhn when !CheckDigits.LuhnIsValid(value):
                error = "check digit is wrong (Luhn)";
                return null;
            case CheckDigitAlgorithm.Mod97 when CheckDigits.CountDigits(value) < CheckDigits.Mod97MinDigits:
                error = $"check digits are missing: an ISO 7064 mod 97-10 check needs at least {CheckDigits.Mod97MinDigits} digits";
                return null;
            case CheckDigitAlgorithm.Mod97 when !CheckDigits.Mod97IsValid(value):
                error = "check digit is wrong (ISO 7064 mod 97-10)";
                return null;
        }

        error = string.Empty;
        return value;
    }

    // ---- emails ----

    private string? NormalizeEmail(string raw, out string error)
    {
        var value = raw.Trim().Normalize(NormalizationForm.FormC);
        if (value.StartsWith('"'))
        {
            error = QuotedLocalPartError;
            return null;
        }

        if (ContainsControlOrWhitespace(value))
        {
            error = "must not contain spaces, control characters or invisible formatting characters (zero-width, direction marks)";
            return null;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            error = "must be a local part, '@', and a domain";
            return null;
        }

        if (value.IndexOf('@', at + 1) >= 0)
        {
            error = "must contain only one '@'";
            return null;
        }

        if (at == 0)
        {
            error = "local part (before '@') must not be empty";
            return null;
        }

        var local = value[..at];
        var domain = value[(at + 1)..];
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1]; // "example.com." is the fully qualified spelling of "example.com"
        }

        if (local.Length > MaxLocalPartLength)
        {
            error = $"local part must be at most {MaxLocalPartLength} characters";
            return null;
        }

        if (!IsDotAtom(local, out error))
        {
            return null;
        }

        var asciiDomain = CanonicalDomain(domain, out error);
        if (asciiDomain is null)
        {
            return null;
        }

        if (local.Length + 1 + asciiDomain.Length > MaxEmailLength)
        {
            error = $"must be at most {MaxEmailLength} characters (counting the domain in its ASCII form)";
            return null;
        }

        error = string.Empty;
        var canonicalDomain = _domainAliases.GetValueOrDefault(asciiDomain, asciiDomain);
        var foldedLocal = local.ToLowerInvariant().Normalize(NormalizationForm.FormC);
        if (_dotInsensitiveDomains.Contains(canonicalDomain))
        {
            foldedLocal = foldedLocal.Replace(".", string.Empty, StringComparison.Ordinal);
        }

        if (_plusAddressingDomains.Contains(canonicalDomain)
            && foldedLocal.IndexOf('+', StringComparison.Ordinal) is > 0 and var plus
            && foldedLocal[plus - 1] != '.')
        {
            foldedLocal = foldedLocal[..plus];
        }

        var normalized = foldedLocal + "@" + canonicalDomain;
        if (normalized.Length > MaxEmailLength)
        {
            // Only an alias to a longer domain can get here; refused so that a stored value always normalizes to itself.
            error = $"must be at most {MaxEmailLength} characters once its domain alias is applied";
            return null;
        }

        return normalized;
    }

    private const string QuotedLocalPartError = "quoted local parts (\"...\"@domain) are not accepted";

    /// <summary>RFC 5322 dot-atom, with internationalised (UTF-8) letters, digits and combining marks allowed as RFC 6531 does.</summary>
    private static bool IsDotAtom(string local, out string error)
    {
        if (local[0] == '.' || local[^1] == '.')
        {
            error = "local part must not start or end with a dot";
            return false;
        }

        if (local.Contains("..", StringComparison.Ordinal))
        {
            error = "local part must not contain two dots in a row";
            return false;
        }

        foreach (var rune in local.EnumerateRunes())
        {
            bool allowed;
            if (rune.IsAscii)
            {
                var c = (char)rune.Value;
                allowed = char.IsAsciiLetterOrDigit(c) || c == '.' || AtextSpecials.Contains(c, StringComparison.Ordinal);
            }
            else
            {
                allowed = Rune.IsLetterOrDigit(rune)
                    || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            }

            if (!allowed)
            {
                error = rune.Value == '"'
                    ? QuotedLocalPartError
                    : $"local part must not contain {Describe(rune)}: only letters, digits and {AtextSpecials} separated by single dots";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The canonical form of a mail domain (IDNA ASCII, lower case, no root dot) or null with the reason: labels of
    /// 1-63 letters, digits and hyphens (STD3), at most 253 characters, at least one dot, a top-level domain not all digits.
    /// </summary>
    private static string? CanonicalDomain(string domain, out string error)
    {
        if (domain.Length == 0)
        {
            error = "domain (after '@') must not be empty";
            return null;
        }

        if (domain[0] == '[')
        {
            error = "address literals such as [192.0.2.1] are not accepted as a domain";
            return null;
        }

        // Structure first where it can be read as is, so the message names the rule broken rather than "not a host name".
        if (Ascii.IsValid(domain) && DomainStructureError(domain) is { } structural)
        {
            error = structural;
            return null;
        }

        string ascii;
        try
        {
            // One canonical form for internationalised domains: "bücher.de" and "xn--bcher-kva.de" are the same.
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "domain is not a valid host name: labels of letters, digits and hyphens (or internationalised letters), "
                + $"1-{MaxDomainLabelLength} characters, not starting or ending with a hyphen, at most {MaxDomainLength} characters in all";
            return null;
        }

        if (DomainStructureError(ascii) is { } afterIdna)
        {
            error = afterIdna;
            return null;
        }

        error = string.Empty;
        return ascii;
    }

    private static string? DomainStructureError(string ascii)
    {
        if (ascii.Length > MaxDomainLength)
        {
            return $"domain must be at most {MaxDomainLength} characters";
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            return "domain must contain a dot (a host name such as 'localhost' is not a mail domain)";
        }

        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return "domain must not contain an empty label (a leading dot or two dots in a row)";
            }

            if (label.Length > MaxDomainLabelLength)
            {
                return $"each label of the domain (the parts between dots) must be at most {MaxDomainLabelLength} characters";
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return "top-level domain must not be all digits (IP addresses are not accepted as a domain)";
        }

        return null;
    }

    private HashSet<string> ConfiguredDomainSet(string option, string[]? domains)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in domains ?? [])
        {
            if (string.IsNullOrWhiteSpace(domain))
            {
                continue;
            }

            var canonical = ConfiguredDomain(option, domain);
            set.Add(_domainAliases.GetValueOrDefault(canonical, canonical));
        }

        return set;
    }

    private static string ConfiguredDomain(string option, string? domain)
    {
        var value = (domain ?? string.Empty).Trim().Normalize(NormalizationForm.FormC);
        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        return CanonicalDomain(value, out var error)
            ?? throw new ArgumentException($"{option}: '{domain}' is not a mail domain: {error}");
    }

    // ---- phones ----

    private string? NormalizePhone(string raw, out string error)
    {
        // Only what people write in a phone number, reduced to ASCII: any script's digits, any space (French typography
        // uses no-break and narrow no-break spaces, which libphonenumber does not know), any dash.
        if (raw.AsSpan().ContainsAny(AsciiLetters))
        {
            error = "must be a phone number only: letters (an extension such as 'ext. 12', a vanity number) are not accepted";
            return null;
        }

        var value = new StringBuilder(raw.Length);
        foreach (var c in raw.Trim())
        {
            if (char.IsDigit(c))
            {
                value.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
            else if (char.IsWhiteSpace(c) && !char.IsControl(c))
            {
                value.Append(' ');
            }
            else if (char.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation)
            {
                value.Append('-');
            }
            else if (c is '+' or '\uFF0B')
            {
                value.Append('+');
            }
            else if (c is '.' or '(' or ')' or '/')
            {
                value.Append(c);
            }
            else
            {
                error = $"must contain only digits, spaces, '+' and the separators . - ( ) / (not {Describe(c)})";
                return null;
            }
        }

        PhoneNumber number;
        try
        {
            // "0033 6 ..." is the international prefix as dialled from France and most of Europe.
            var text = value.ToString();
            if (text.StartsWith("00", StringComparison.Ordinal))
            {
                text = "+" + text[2..];
            }

            number = PhoneUtil.Parse(text, _defaultRegion);
        }
        catch (NumberParseException e)
        {
            error = "is not a phone number: " + e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "no known country calling code",
                ErrorType.TOO_SHORT_AFTER_IDD or ErrorType.TOO_SHORT_NSN => "too short",
                ErrorType.TOO_LONG => "too long",
                _ => "no number found",
            };
            return null;
        }

        if (!PhoneUtil.IsValidNumber(number))
        {
            error = "is not a valid phone number for its region";
            return null;
        }

        if (number.HasExtension)
        {
            error = "must not have an extension";
            return null;
        }

        if (_allowedPhoneTypes.Count > 0)
        {
            var type = PhoneUtil.GetNumberType(number);
            var kind = ToKind(type);
            var allowed = type == PhoneNumberType.FIXED_LINE_OR_MOBILE
                ? _allowedPhoneTypes.Contains(PhoneNumberKind.FixedLine) || _allowedPhoneTypes.Contains(PhoneNumberKind.Mobile)
                : kind is { } k && _allowedPhoneTypes.Contains(k);
            if (!allowed)
            {
                var what = type == PhoneNumberType.FIXED_LINE_OR_MOBILE ? "FixedLine or Mobile" : kind?.ToString() ?? "unclassified";
                error = $"is a {what} number; only {string.Join(", ", _allowedPhoneTypes.Order())} numbers are accepted";
                return null;
            }
        }

        error = string.Empty;
        return PhoneUtil.Format(number, PhoneNumberFormat.E164);
    }

    private static PhoneNumberKind? ToKind(PhoneNumberType type) => type switch
    {
        PhoneNumberType.FIXED_LINE => PhoneNumberKind.FixedLine,
        PhoneNumberType.MOBILE => PhoneNumberKind.Mobile,
        PhoneNumberType.TOLL_FREE => PhoneNumberKind.TollFree,
        PhoneNumberType.PREMIUM_RATE => PhoneNumberKind.PremiumRate,
        PhoneNumberType.SHARED_COST => PhoneNumberKind.SharedCost,
        PhoneNumberType.VOIP => PhoneNumberKind.Voip,
        PhoneNumberType.PERSONAL_NUMBER => PhoneNumberKind.PersonalNumber,
        PhoneNumberType.PAGER => PhoneNumberKind.Pager,
        PhoneNumberType.UAN => PhoneNumberKind.Uan,
        PhoneNumberType.VOICEMAIL => PhoneNumberKind.Voicemail,
        _ => null,
    };

    // ---- opaque identifiers ----

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
            error = "must not contain spaces, control characters or invisible formatting characters (zero-width, direction marks)";
            return null;
        }

        error = string.Empty;
        return value;
    }

    // ---- text ----

    /// <summary>Whitespace, control and format characters (zero-width, direction marks, BOM, tags), by code point.</summary>
    private static bool ContainsControlOrWhitespace(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A character as it can be quoted safely in an error message: printable ASCII as is, anything else as U+XXXX.</summary>
    private static string Describe(Rune rune) =>
        rune.Value is >= 0x20 and < 0x7F ? $"'{(char)rune.Value}'" : $"U+{rune.Value:X4}";

    private static string Describe(char c) => char.IsSurrogate(c) ? "a character outside the Basic Multilingual Plane" : Describe(new Rune(c));
}
