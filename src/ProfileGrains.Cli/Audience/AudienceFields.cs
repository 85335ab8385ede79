using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Audience;

/// <summary>The fields an audience export can carry, each read from a member's profile.</summary>
public static class AudienceFields
{
    public static readonly IReadOnlyDictionary<string, Func<Profile, string>> All = new Dictionary<string, Func<Profile, string>>(StringComparer.Ordinal)
    {
        ["customer_id"] = p => p.CustomerId,
        ["email"] = p => First(p, IdentifierType.Email),
        ["phone"] = p => First(p, IdentifierType.Phone),
        ["loyalty_id"] = p => First(p, IdentifierType.LoyaltyId),
        ["crm_id"] = p => First(p, IdentifierType.CrmId),
        ["given_name"] = p => p.Traits?.Name?.GivenName ?? string.Empty,
        ["family_name"] = p => p.Traits?.Name?.FamilyName ?? string.Empty,
        ["locale"] = p => p.Traits?.Locale ?? string.Empty,
        ["loyalty_tier"] = p => p.Traits?.LoyaltyTier ?? string.Empty,
        ["postal_code"] = p => p.Traits?.Addresses.FirstOrDefault()?.PostalCode ?? string.Empty,
        ["country"] = p => p.Traits?.Addresses.FirstOrDefault()?.CountryCode ?? string.Empty,
        ["rfm"] = p => p.Scores?.RfmSegment ?? string.Empty,
        ["churn_risk"] = p => p.Scores?.ChurnRisk.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        ["consent_email"] = p => Marketing(p, ContactChannel.Email).ToString(),
        ["consent_sms"] = p => Marketing(p, ContactChannel.Sms).ToString(),
    };

    public static readonly IReadOnlyList<string> Default = ["customer_id", "email", "given_name", "family_name"];

    /// <summary>The marketing decision in force on a channel: the latest by when it was decided (a refusal on a tie).</summary>
    public static ConsentStatus Marketing(Profile profile, ContactChannel channel) =>
        profile.Traits?.Consents
            .Where(c => c.Purpose == ConsentPurpose.Marketing && c.Channel == channel)
            .OrderByDescending(c => c.DecidedAt ?? new Timestamp())
            .ThenBy(c => c.Status == ConsentStatus.Granted)
            .Select(c => c.Status)
            .FirstOrDefault() ?? ConsentStatus.Unknown;

    private static string First(Profile profile, IdentifierType type) => profile.Identifiers.FirstOrDefault(i => i.Type == type)?.Value ?? string.Empty;
}
