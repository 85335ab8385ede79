using System.Globalization;

namespace ProfileGrains.Domain;

/// <summary>
/// Applies field-mask updates to traits. A listed path takes the new value, and an empty new value clears the field;
/// consents are the exception: they merge per channel, and an older decision never overrides a newer one.
/// </summary>
public static class TraitsUpdater
{
    private static readonly string[] NamePaths = ["given_name", "family_name", "middle_names", "maiden_name", "nickname", "title"];
    private static readonly string[] PreferencePaths = ["interests", "sizes", "favourite_department", "life_events", "sports"];

    public static readonly IReadOnlySet<string> SupportedPaths = new HashSet<string>(
        new[] { "name", "birth_date", "gender", "locale", "addresses", "occupation", "company", "preferences", "custom_attributes", "consents", "loyalty_tier" }
            .Concat(NamePaths.Select(p => "name." + p))
            .Concat(PreferencePaths.Select(p => "preferences." + p)),
        StringComparer.Ordinal);

    public static bool IsSupportedPath(string path) =>
        SupportedPaths.Contains(path) || (path.StartsWith("custom_attributes.", StringComparison.Ordinal) && path.Length > "custom_attributes.".Length);

    public static ProfileTraits Apply(ProfileTraits current, TraitsUpdate update)
    {
        var result = current;
        var v = update.Values;
        foreach (var path in update.Paths)
        {
            result = path switch
            {
                "name" => result with { Name = v.Name },
                "name.given_name" => result with { Name = result.Name with { GivenName = v.Name.GivenName } },
                "name.family_name" => result with { Name = result.Name with { FamilyName = v.Name.FamilyName } },
                "name.middle_names" => result with { Name = result.Name with { MiddleNames = v.Name.MiddleNames } },
                "name.maiden_name" => result with { Name = result.Name with { MaidenName = v.Name.MaidenName } },
                "name.nickname" => result with { Name = result.Name with { Nickname = v.Name.Nickname } },
                "name.title" => result with { Name = result.Name with { Title = v.Name.Title } },
                "birth_date" => result with { BirthDate = v.BirthDate },
                "gender" => result with { Gender = v.Gender },
                "locale" => result with { Locale = v.Locale },
                "addresses" => result with { Addresses = v.Addresses },
                "occupation" => result with { Occupation = v.Occupation },
                "company" => result with { Company = v.Company },
                "preferences" => result with { Preferences = v.Preferences },
                "preferences.interests" => result with { Preferences = result.Preferences with { Interests = v.Preferences.Interests } },
                "preferences.sizes" => result with { Preferences = result.Preferences with { Sizes = v.Preferences.Sizes } },
                "preferences.favourite_department" => result with { Preferences = result.Preferences with { FavouriteDepartment = v.Preferences.FavouriteDepartment } },
                "preferences.life_events" => result with { Preferences = result.Preferences with { LifeEvents = v.Preferences.LifeEvents } },
                "preferences.sports" => result with { Preferences = result.Preferences with { Sports = v.Preferences.Sports } },
                "custom_attributes" => result with { CustomAttributes = v.CustomAttributes },
                "consents" => result with { Consents = MergeConsents(result.Consents, v.Consents) },
                "loyalty_tier" => result with { LoyaltyTier = v.LoyaltyTier },
                _ when IsSupportedPath(path) && path.StartsWith("custom_attributes.", StringComparison.Ordinal) => result with
                {
                    CustomAttributes = SetAttribute(result.CustomAttributes, path["custom_attributes.".Length..], v.CustomAttributes),
                },
                _ => throw new ArgumentException($"unsupported update path '{path}'", nameof(update)),
            };
        }

        return result;
    }

    /// <summary>Latest explicit decision per channel wins (denied on a tie); "unknown" never replaces an explicit decision.</summary>
    public static IReadOnlyList<ConsentDecision> MergeConsents(IReadOnlyList<ConsentDecision> current, IReadOnlyList<ConsentDecision> incoming)
    {
        var byChannel = current.ToDictionary(c => c.Channel);
        foreach (var decision in incoming)
        {
            if (decision.Status == ConsentStatus.Unknown)
            {
                continue;
            }

            // On a tie, "denied" wins: when in doubt, do not contact.
            if (!byChannel.TryGetValue(decision.Channel, out var existing)
                || decision.DecidedAt > existing.DecidedAt
                || (decision.DecidedAt == existing.DecidedAt && (decision.Status == ConsentStatus.Denied || existing.Status != ConsentStatus.Denied)))
            {
                byChannel[decision.Channel] = decision;
            }
        }

        return [.. byChannel.Values.OrderBy(c => c.Channel)];
    }

    /// <summary>Validates trait values that the protobuf types cannot constrain; a birth date may not be after <paramref name="today"/>.</summary>
    public static void Validate(ProfileTraits t, DateOnly today, string prefix, Violations v)
    {
        var n = t.Name;
        v.RequireText(prefix + ".name.given_name", n.GivenName, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".name.family_name", n.FamilyName, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".name.middle_names", n.MiddleNames, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".name.maiden_name", n.MaidenName, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".name.nickname", n.Nickname, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".name.title", n.Title, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".occupation", t.Occupation, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".loyalty_tier", t.LoyaltyTier, Limits.MaxShortTextLength, required: false);
        if (t.Locale is not null && !IsLocale(t.Locale))
        {
            v.Add(prefix + ".locale", "must be a BCP 47 language tag such as 'fr-FR'");
        }

        if (!Enum.IsDefined(t.Gender))
        {
            v.Add(prefix + ".gender", "must be a known gender value");
        }

        if (t.Addresses.Count > Limits.MaxAddresses)
        {
            v.Add(prefix + ".addresses", $"at most {Limits.MaxAddresses} addresses");
        }

        for (var i = 0; i < t.Addresses.Count && i < Limits.MaxAddresses; i++)
        {
            var a = t.Addresses[i];
            var field = $"{prefix}.addresses[{i}]";
            if (a.Lines.Count > Limits.MaxAddressLines)
            {
                v.Add(field + ".lines", $"at most {Limits.MaxAddressLines} lines");
            }

            foreach (var line in a.Lines)
            {
                v.RequireText(field + ".lines", line, Limits.MaxShortTextLength);
            }

            v.RequireText(field + ".label", a.Label, Limits.MaxShortTextLength, required: false);
            v.RequireText(field + ".postal_code", a.PostalCode, 32, required: false);
            v.RequireText(field + ".city", a.City, Limits.MaxShortTextLength, required: false);
            v.RequireText(field + ".region", a.Region, Limits.MaxShortTextLength, required: false);
            if (a.CountryCode is not null && !(a.CountryCode.Length == 2 && a.CountryCode.All(char.IsAsciiLetterUpper)))
            {
                v.Add(field + ".country_code", "must be an ISO 3166-1 alpha-2 code such as 'FR'");
            }
        }

        if (t.Company is { } c)
        {
            v.RequireText(prefix + ".company.name", c.Name, Limits.MaxShortTextLength, required: false);
            v.RequireText(prefix + ".company.legal_form", c.LegalForm, Limits.MaxShortTextLength, required: false);
            v.RequireText(prefix + ".company.industry", c.Industry, Limits.MaxShortTextLength, required: false);
            if (c.Employees < 0)
            {
                v.Add(prefix + ".company.employees", "must not be negative");
            }

            v.RequireMoney(prefix + ".company.annual_revenue", c.AnnualRevenue, required: false);
        }

        var p = t.Preferences;
        ValidateSet(prefix + ".preferences.interests", p.Interests, v);
        ValidateSet(prefix + ".preferences.life_events", p.LifeEvents, v);
        ValidateSet(prefix + ".preferences.sports", p.Sports, v);
        v.RequireText(prefix + ".preferences.favourite_department", p.FavouriteDepartment, Limits.MaxShortTextLength, required: false);
        ValidateMap(prefix + ".preferences.sizes", p.Sizes, Limits.MaxSizes, v);
        ValidateMap(prefix + ".custom_attributes", t.CustomAttributes, Limits.MaxCustomAttributes, v);

        for (var i = 0; i < t.Consents.Count; i++)
        {
            var consent = t.Consents[i];
            var field = $"{prefix}.consents[{i}]";
            if (!Enum.IsDefined(consent.Channel))
            {
                v.Add(field + ".channel", "must be email, sms, phone, post or push");
            }

            if (!Enum.IsDefined(consent.Status))
            {
                v.Add(field + ".status", "must be a known consent status");
            }

            if (consent.DecidedAt == default)
            {
                v.Add(field + ".decided_at", "is required");
            }

            v.RequireText(field + ".source", consent.Source, Limits.MaxShortTextLength, required: false);
        }

        if (t.Consents.Select(c => c.Channel).Distinct().Count() != t.Consents.Count)
        {
            v.Add(prefix + ".consents", "at most one decision per channel");
        }

        if (t.BirthDate is { } birth && (birth.Year < 1900 || birth > today))
        {
            v.Add(prefix + ".birth_date", "must be between 1900-01-01 and today");
        }
    }

    private static void ValidateSet(string field, IReadOnlyList<string> items, Violations v)
    {
        if (items.Count > Limits.MaxSetItems)
        {
            v.Add(field, $"at most {Limits.MaxSetItems} items");
            return;
        }

        foreach (var item in items)
        {
            v.RequireText(field, item, Limits.MaxShortTextLength);
        }
    }

    private static void ValidateMap(string field, IReadOnlyDictionary<string, string> map, int maxEntries, Violations v)
    {
        if (map.Count > maxEntries)
        {
            v.Add(field, $"at most {maxEntries} entries");
            return;
        }

        foreach (var (key, value) in map)
        {
            if (v.RequireText(field, key, Limits.MaxPropertyKeyLength))
            {
                v.RequireText($"{field}[{key}]", value, Limits.MaxPropertyValueLength, required: false);
            }
        }
    }

    private static IReadOnlyDictionary<string, string> SetAttribute(IReadOnlyDictionary<string, string> current, string key, IReadOnlyDictionary<string, string> incoming)
    {
        var result = new Dictionary<string, string>(current);
        if (incoming.TryGetValue(key, out var value) && value.Length > 0)
        {
            result[key] = value;
        }
        else
        {
            result.Remove(key);
        }

        return result;
    }

    private static bool IsLocale(string tag)
    {
        if (tag.Length is < 2 or > 35 || !tag.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return false;
        }

        try
        {
            return !CultureInfo.GetCultureInfo(tag, predefinedOnly: true).Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
