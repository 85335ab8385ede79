using System.Globalization;

namespace ProfileGrains.Domain;

/// <summary>Trait values that the protobuf types cannot constrain: lengths, codes, enums, sets and maps, consents, dates.</summary>
public static class TraitsValidator
{
    /// <summary>Adds a violation, with its field under <paramref name="prefix"/>, for every problem; a birth date may not be after <paramref name="today"/>.</summary>
    public static void Validate(ProfileTraits t, DateOnly today, string prefix, Violations v)
    {
        PersonalDetails(t, prefix, v);
        Addresses(t.Addresses, prefix + ".addresses", v);
        if (t.Company is { } company)
        {
            Company(company, prefix + ".company", v);
        }

        var p = t.Preferences;
        Set(prefix + ".preferences.interests", p.Interests, v);
        Set(prefix + ".preferences.life_events", p.LifeEvents, v);
        Set(prefix + ".preferences.sports", p.Sports, v);
        LifeEventDates(prefix + ".preferences.life_event_dates", p.DatedLifeEvents, today, v);
        v.RequireText(prefix + ".preferences.favourite_department", p.FavouriteDepartment, Limits.MaxShortTextLength, required: false);
        Map(prefix + ".preferences.sizes", p.Sizes, Limits.MaxSizes, v);
        Map(prefix + ".custom_attributes", t.CustomAttributes, Limits.MaxCustomAttributes, v);
        Consents(t.Consents, prefix + ".consents", v);
        if (t.BirthDate is { } birth && (birth.Year < 1900 || birth > today))
        {
            v.Add(prefix + ".birth_date", "must be between 1900-01-01 and today");
        }
    }

    private static void LifeEventDates(string field, IReadOnlyDictionary<string, DateOnly> dates, DateOnly today, Violations v)
    {
        if (dates.Count > Limits.MaxSetItems)
        {
            v.Add(field, $"at most {Limits.MaxSetItems} dated life events");
            return;
        }

        foreach (var (name, date) in dates)
        {
            if (v.RequireText(field, name, Limits.MaxShortTextLength) && (date.Year < 1900 || date > today.AddDays(1)))
            {
                v.Add($"{field}[{name}]", "must be between 1900-01-01 and today");
            }
        }
    }

    private static void PersonalDetails(ProfileTraits t, string prefix, Violations v)
    {
        var n = t.Name;
        v.RequireName(prefix + ".name.given_name", n.GivenName, Limits.MaxShortTextLength);
        v.RequireName(prefix + ".name.family_name", n.FamilyName, Limits.MaxShortTextLength);
        v.RequireName(prefix + ".name.middle_names", n.MiddleNames, Limits.MaxShortTextLength);
        v.RequireName(prefix + ".name.maiden_name", n.MaidenName, Limits.MaxShortTextLength);
        v.RequireName(prefix + ".name.nickname", n.Nickname, Limits.MaxShortTextLength);
        v.RequireName(prefix + ".name.title", n.Title, Limits.MaxShortTextLength);
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
    }

    private static void Addresses(IReadOnlyList<PostalAddress> addresses, string prefix, Violations v)
    {
        if (addresses.Count > Limits.MaxAddresses)
        {
            v.Add(prefix, $"at most {Limits.MaxAddresses} addresses");
        }

        for (var i = 0; i < addresses.Count && i < Limits.MaxAddresses; i++)
        {
            var a = addresses[i];
            var field = $"{prefix}[{i}]";
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
    }

    private static void Company(Company c, string prefix, Violations v)
    {
        v.RequireText(prefix + ".name", c.Name, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".legal_form", c.LegalForm, Limits.MaxShortTextLength, required: false);
        v.RequireText(prefix + ".industry", c.Industry, Limits.MaxShortTextLength, required: false);
        if (c.Employees < 0)
        {
            v.Add(prefix + ".employees", "must not be negative");
        }

        v.RequireMoney(prefix + ".annual_revenue", c.AnnualRevenue, required: false);
    }

    private static void Consents(IReadOnlyList<ConsentDecision> consents, string prefix, Violations v)
    {
        for (var i = 0; i < consents.Count; i++)
        {
            var consent = consents[i];
            var field = $"{prefix}[{i}]";
            if (!Enum.IsDefined(consent.Channel))
            {
                v.Add(field + ".channel", "must be email, sms, phone, post, push or in_store, or unset for every channel");
            }
            else if (consent.Channel == ContactChannel.All && consent.Purpose == ConsentPurpose.Marketing)
            {
                v.Add(field + ".channel", "marketing consent is given channel by channel: name the channel");
            }

            if (!Enum.IsDefined(consent.Purpose))
            {
                v.Add(field + ".purpose", "must be marketing, personalization, profiling, partner_sharing or custom");
            }

            CustomPurpose(consent.Purpose, consent.PurposeName, field + ".custom_purpose", v);

            if (!Enum.IsDefined(consent.Status))
            {
                v.Add(field + ".status", "must be a known consent status");
            }

            if (consent.DecidedAt == default)
            {
                v.Add(field + ".decided_at", "is required");
            }

            v.RequireText(field + ".source", consent.Source, Limits.MaxShortTextLength, required: false);
            v.RequireText(field + ".wording_version", consent.WordingVersion, Limits.MaxShortTextLength, required: false);
            v.RequireText(field + ".request_id", consent.RequestId, Limits.MaxEventIdLength, required: false);
        }

        if (consents.Select(c => c.Pair).Distinct().Count() != consents.Count)
        {
            v.Add(prefix, "at most one decision per channel and purpose");
        }
    }

    /// <summary>A retailer's own purpose is named, well; the others are not (whether the name is configured is the caller's to check).</summary>
    public static void CustomPurpose(ConsentPurpose purpose, string? name, string field, Violations v)
    {
        if (purpose == ConsentPurpose.Custom && !ConsentDecision.IsPurposeName(name))
        {
            v.Add(field, $"names one of the engine's configured purposes: 1-{Limits.MaxPurposeNameLength} of a-z, 0-9 and '_', starting with a letter");
        }
        else if (purpose != ConsentPurpose.Custom && name is not null)
        {
            v.Add(field, "is set only with the purpose custom");
        }
    }

    private static void Set(string field, IReadOnlyList<string> items, Violations v)
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

    private static void Map(string field, IReadOnlyDictionary<string, string> map, int maxEntries, Violations v)
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
