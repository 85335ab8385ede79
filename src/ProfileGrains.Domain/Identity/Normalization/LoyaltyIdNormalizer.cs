using System.Text;
using System.Text.RegularExpressions;

namespace ProfileGrains.Domain;

/// <summary>Loyalty ids: opaque rules, upper case by default, an optional whole-value pattern and an optional check digit.</summary>
internal sealed class LoyaltyIdNormalizer
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly bool _upperCase;
    private readonly string? _patternText;
    private readonly Regex? _pattern;
    private readonly CheckDigitAlgorithm _checkDigit;

    public LoyaltyIdNormalizer(IdentifierNormalizationOptions options)
    {
        _upperCase = options.LoyaltyIdUpperCase;
        _checkDigit = CheckDigit(options);
        if (!string.IsNullOrWhiteSpace(options.LoyaltyIdPattern))
        {
            _patternText = options.LoyaltyIdPattern;
            _pattern = WholeValuePattern(options);
        }
    }

    public string? Normalize(string raw, out string error)
    {
        var value = OpaqueIdNormalizer.Normalize(raw, out error);
        if (value is null)
        {
            return null;
        }

        if (_upperCase)
        {
            value = value.ToUpperInvariant().Normalize(NormalizationForm.FormC);
        }

        error = PatternError(value) ?? CheckDigitError(value) ?? string.Empty;
        return error.Length == 0 ? value : null;
    }

    private string? PatternError(string value)
    {
        try
        {
            return _pattern is not null && !_pattern.IsMatch(value) ? $"does not match the loyalty id pattern {_patternText}" : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return "could not be checked against the loyalty id pattern in time";
        }
    }

    private string? CheckDigitError(string value) => _checkDigit switch
    {
        CheckDigitAlgorithm.Luhn when CheckDigits.CountDigits(value) < CheckDigits.LuhnMinDigits =>
            $"check digit is missing: a Luhn check needs at least {CheckDigits.LuhnMinDigits} digits",
        CheckDigitAlgorithm.Luhn when !CheckDigits.LuhnIsValid(value) => "check digit is wrong (Luhn)",
        CheckDigitAlgorithm.Mod97 when CheckDigits.CountDigits(value) < CheckDigits.Mod97MinDigits =>
            $"check digits are missing: an ISO 7064 mod 97-10 check needs at least {CheckDigits.Mod97MinDigits} digits",
        CheckDigitAlgorithm.Mod97 when !CheckDigits.Mod97IsValid(value) => "check digit is wrong (ISO 7064 mod 97-10)",
        _ => null,
    };

    private static CheckDigitAlgorithm CheckDigit(IdentifierNormalizationOptions options)
    {
        var algorithm = options.LoyaltyCheckDigit;
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentException(
                $"LoyaltyCheckDigit: {(int)algorithm} is not one of {string.Join(", ", Enum.GetNames<CheckDigitAlgorithm>())}", nameof(options));
        }

        if (!options.LoyaltyIdLuhnCheck)
        {
            return algorithm;
        }

        return algorithm == CheckDigitAlgorithm.Mod97
            ? throw new ArgumentException("LoyaltyIdLuhnCheck and LoyaltyCheckDigit = Mod97 contradict each other; set only LoyaltyCheckDigit", nameof(options))
            : CheckDigitAlgorithm.Luhn;
    }

    private static Regex WholeValuePattern(IdentifierNormalizationOptions options)
    {
        var pattern = options.LoyaltyIdPattern!;
        try
        {
            // Validates the pattern as written (wrapping could hide an unbalanced parenthesis).
            _ = new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"LoyaltyIdPattern is not a valid regular expression: {e.Message}", nameof(options), e);
        }

        try
        {
            // Anchored so the pattern must match the whole value ("LOY[0-9]{10}" does not accept "XLOY0000000001Y"),
            // and a timeout keeps a pathological pattern from stalling the gateway on hostile input.
            return new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"LoyaltyIdPattern cannot be applied to the whole value (does it end in a # comment?): {e.Message}", nameof(options), e);
        }
    }
}
