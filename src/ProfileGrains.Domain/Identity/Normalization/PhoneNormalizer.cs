using System.Buffers;
using System.Globalization;
using System.Text;
using PhoneNumbers;

namespace ProfileGrains.Domain;

/// <summary>
/// Phones: digits of any script, any space, '+', dashes and . ( ) / only (no letters, so no extensions), read by
/// libphonenumber in the default region ("00" read as "+"), valid, optionally of an allowed type, written E.164.
/// </summary>
internal sealed class PhoneNormalizer
{
    private static readonly PhoneNumberUtil PhoneUtil = PhoneNumberUtil.GetInstance();
    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly string _defaultRegion;
    private readonly HashSet<PhoneNumberKind> _allowedTypes = [];

    public PhoneNormalizer(IdentifierNormalizationOptions options)
    {
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

            _allowedTypes.Add(kind);
        }
    }

    public string? Normalize(string raw, out string error)
    {
        var dialled = DialString(raw, out error);
        if (dialled is null)
        {
            return null;
        }

        var number = Parse(dialled, out error);
        if (number is null)
        {
            return null;
        }

        error = !PhoneUtil.IsValidNumber(number) ? "is not a valid phone number for its region"
            : number.HasExtension ? "must not have an extension"
            : TypeError(number) ?? string.Empty;
        return error.Length == 0 ? PhoneUtil.Format(number, PhoneNumberFormat.E164) : null;
    }

    /// <summary>
    /// Only what people write in a phone number, reduced to ASCII: any script's digits, any space (French typography
    /// uses no-break and narrow no-break spaces, which libphonenumber does not know), any dash.
    /// </summary>
    private static string? DialString(string raw, out string error)
    {
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
                error = $"must contain only digits, spaces, '+' and the separators . - ( ) / (not {IdentifierText.Describe(c)})";
                return null;
            }
        }

        error = string.Empty;
        return value.ToString();
    }

    private PhoneNumber? Parse(string text, out string error)
    {
        // "0033 6 ..." is the international prefix as dialled from France and most of Europe.
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
        }

        try
        {
            error = string.Empty;
            return PhoneUtil.Parse(text, _defaultRegion);
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
    }

    private string? TypeError(PhoneNumber number)
    {
        if (_allowedTypes.Count == 0)
        {
            return null;
        }

        var type = PhoneUtil.GetNumberType(number);
        var kind = ToKind(type);
        var allowed = type == PhoneNumberType.FIXED_LINE_OR_MOBILE
            ? _allowedTypes.Contains(PhoneNumberKind.FixedLine) || _allowedTypes.Contains(PhoneNumberKind.Mobile)
            : kind is { } k && _allowedTypes.Contains(k);
        if (allowed)
        {
            return null;
        }

        var what = type == PhoneNumberType.FIXED_LINE_OR_MOBILE ? "FixedLine or Mobile" : kind?.ToString() ?? "unclassified";
        return $"is a {what} number; only {string.Join(", ", _allowedTypes.Order())} numbers are accepted";
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
}
