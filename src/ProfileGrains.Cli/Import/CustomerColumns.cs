using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Import;

/// <summary>
/// A customers CSV: identifier columns (email, phone, loyalty_id, crm_id, anonymous_id), traits (given_name,
/// family_name, birth_date as yyyy-MM-dd, gender, locale, address_line, postal_code, city, country, loyalty_tier,
/// occupation), marketing consents per channel (consent_email … consent_in_store: granted, denied or withdrawn, decided
/// at consent_date or now, source "import"), and custom attributes as attr_&lt;name&gt;. Values are checked by the engine,
/// as for a live call; this only reads them.
/// </summary>
public static class CustomerColumns
{
    /// <summary>The identifier columns, shared with the events CSV.</summary>
    internal static readonly Dictionary<string, IdentifierType> IdentifierColumns = new(StringComparer.Ordinal)
    {
        ["email"] = IdentifierType.Email,
        ["phone"] = IdentifierType.Phone,
        ["loyalty_id"] = IdentifierType.LoyaltyId,
        ["crm_id"] = IdentifierType.CrmId,
        ["anonymous_id"] = IdentifierType.AnonymousId,
    };

    private static readonly Dictionary<string, ContactChannel> ConsentColumns = new(StringComparer.Ordinal)
    {
        ["consent_email"] = ContactChannel.Email,
        ["consent_sms"] = ContactChannel.Sms,
        ["consent_phone"] = ContactChannel.Phone,
        ["consent_post"] = ContactChannel.Post,
        ["consent_push"] = ContactChannel.Push,
        ["consent_in_store"] = ContactChannel.InStore,
    };

    private static readonly HashSet<string> TraitColumns =
        ["given_name", "family_name", "birth_date", "gender", "locale", "address_line", "postal_code", "city", "country", "loyalty_tier", "occupation", "consent_date"];

    public static string Description => string.Join(", ", IdentifierColumns.Keys.Concat(TraitColumns).Concat(ConsentColumns.Keys).Append("attr_<name>"));

    public static bool IsKnown(string column) =>
        IdentifierColumns.ContainsKey(column) || ConsentColumns.ContainsKey(column) || TraitColumns.Contains(column) || (column.StartsWith("attr_", StringComparison.Ordinal) && column.Length > 5);

    /// <summary>The identifiers a row's identifier columns hold.</summary>
    internal static IEnumerable<Identifier> Identifiers(IReadOnlyDictionary<string, string> values) =>
        IdentifierColumns.Where(c => values.ContainsKey(c.Key)).Select(c => new Identifier { Type = c.Value, Value = values[c.Key] });

    public static IdentifyRequest ToRequest(IReadOnlyDictionary<string, string> values)
    {
        var request = new IdentifyRequest { Identifiers = { Identifiers(values) }, Traits = new ProfileTraits() };

        var traits = request.Traits;
        if (values.ContainsKey("given_name") || values.ContainsKey("family_name"))
        {
            traits.Name = new PersonName { GivenName = values.GetValueOrDefault("given_name", string.Empty), FamilyName = values.GetValueOrDefault("family_name", string.Empty) };
        }

        if (values.TryGetValue("birth_date", out var birth))
        {
            if (!DateOnly.TryParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new ImportFieldException("birth_date", "must be a date written yyyy-MM-dd");
            }

            traits.BirthDate = new ProfileGrains.Protos.V1.Date { Year = date.Year, Month = date.Month, Day = date.Day };
        }

        if (values.TryGetValue("gender", out var gender))
        {
            traits.Gender = gender.ToLowerInvariant() switch
            {
                "female" or "f" => Gender.Female,
                "male" or "m" => Gender.Male,
                "non_binary" => Gender.NonBinary,
                "undisclosed" => Gender.Undisclosed,
                _ => throw new ImportFieldException("gender", "must be female, male, non_binary or undisclosed"),
            };
        }

        traits.Locale = values.GetValueOrDefault("locale", string.Empty);
        traits.LoyaltyTier = values.GetValueOrDefault("loyalty_tier", string.Empty);
        traits.Occupation = values.GetValueOrDefault("occupation", string.Empty);
        if (values.ContainsKey("address_line") || values.ContainsKey("postal_code") || values.ContainsKey("city") || values.ContainsKey("country"))
        {
            var address = new PostalAddress
            {
                PostalCode = values.GetValueOrDefault("postal_code", string.Empty),
                City = values.GetValueOrDefault("city", string.Empty),
                CountryCode = values.GetValueOrDefault("country", string.Empty),
            };
            if (values.TryGetValue("address_line", out var line))
            {
                address.Lines.Add(line);
            }

            traits.Addresses.Add(address);
        }

        var decidedAt = DateTimeOffset.UtcNow;
        if (values.TryGetValue("consent_date", out var when) && !DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out decidedAt))
        {
            throw new ImportFieldException("consent_date", "must be a date or an ISO 8601 instant");
        }

        foreach (var (column, channel) in ConsentColumns)
        {
            if (values.TryGetValue(column, out var status))
            {
                traits.Consents.Add(new Consent
                {
                    Channel = channel,
                    Status = status.ToLowerInvariant() switch
                    {
                        "granted" or "yes" or "true" => ConsentStatus.Granted,
                        "denied" or "no" or "false" => ConsentStatus.Denied,
                        "withdrawn" => ConsentStatus.Withdrawn,
                        _ => throw new ImportFieldException(column, "must be granted, denied or withdrawn"),
                    },
                    DecidedAt = Timestamp.FromDateTimeOffset(decidedAt),
                    Source = "import",
                });
            }
        }

        foreach (var (column, value) in values)
        {
            if (column.StartsWith("attr_", StringComparison.Ordinal))
            {
                traits.CustomAttributes[column[5..]] = value;
            }
        }

        return request;
    }
}
