namespace ProfileGrains.Domain;

/// <summary>Turns raw identifier values into their canonical form, or says precisely why it cannot.</summary>
/// <remarks>
/// Every type: not empty, at most <see cref="Limits.MaxRawIdentifierLength"/> characters as received, well-formed
/// Unicode; then the rules of its type: <see cref="EmailNormalizer"/>, <see cref="PhoneNormalizer"/>,
/// <see cref="LoyaltyIdNormalizer"/>, and <see cref="OpaqueIdNormalizer"/> for anonymous and CRM ids. The result is
/// stable: normalizing a normalized value gives it back.
/// </remarks>
public sealed class IdentifierNormalizer
{
    private readonly EmailNormalizer _email;
    private readonly PhoneNormalizer _phone;
    private readonly LoyaltyIdNormalizer _loyalty;

    public IdentifierNormalizer(IdentifierNormalizationOptions? options = null)
    {
        options ??= new IdentifierNormalizationOptions();
        _phone = new PhoneNormalizer(options);
        _email = new EmailNormalizer(options);
        _loyalty = new LoyaltyIdNormalizer(options);
    }

    public bool TryNormalize(IdentifierType type, string? raw, out CustomerIdentifier identifier, out string error)
    {
        identifier = default;
        error = string.IsNullOrWhiteSpace(raw) ? "must not be empty"
            : raw.Length > Limits.MaxRawIdentifierLength ? $"must be at most {Limits.MaxRawIdentifierLength} characters"
            : IdentifierText.HasLoneSurrogate(raw) ? "must be valid Unicode text (it contains a lone surrogate)"
            : string.Empty;
        if (error.Length > 0)
        {
            return false;
        }

        var normalized = type switch
        {
            IdentifierType.Email => _email.Normalize(raw!, out error),
            IdentifierType.Phone => _phone.Normalize(raw!, out error),
            IdentifierType.LoyaltyId => _loyalty.Normalize(raw!, out error),
            IdentifierType.AnonymousId or IdentifierType.CrmId => OpaqueIdNormalizer.Normalize(raw!, out error),
            _ => Unspecified(out error),
        };
        if (normalized is null)
        {
            return false;
        }

        identifier = new CustomerIdentifier(type, normalized);
        return true;
    }

    private static string? Unspecified(out string error)
    {
        error = "identifier type must be specified";
        return null;
    }
}
