namespace ProfileGrains.Domain;

/// <summary>
/// Applies field-mask updates to traits. A listed path takes the new value, and an empty new value clears the field;
/// consents are the exception: they merge per channel, and an older decision never overrides a newer one.
/// </summary>
public static class TraitsUpdater
{
    private static readonly string[] NamePaths = ["given_name", "family_name", "middle_names", "maiden_name", "nickname", "title"];
    private static readonly string[] PreferencePaths = ["interests", "sizes", "favourite_department", "life_events", "sports", "life_event_dates"];

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
                "preferences.life_event_dates" => result with { Preferences = result.Preferences with { LifeEventDates = v.Preferences.LifeEventDates } },
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

    /// <summary>
    /// Latest explicit decision per channel and purpose wins (a refusal on a tie); "unknown" never replaces an explicit
    /// decision.
    /// </summary>
    public static IReadOnlyList<ConsentDecision> MergeConsents(IReadOnlyList<ConsentDecision> current, IReadOnlyList<ConsentDecision> incoming)
    {
        var byPair = current.ToDictionary(c => c.Pair);
        foreach (var decision in incoming)
        {
            if (decision.Status == ConsentStatus.Unknown)
            {
                continue;
            }

            // On a tie, a refusal wins: when in doubt, do not contact.
            if (!byPair.TryGetValue(decision.Pair, out var existing)
                || decision.DecidedAt > existing.DecidedAt
                || (decision.DecidedAt == existing.DecidedAt && (decision.Refuses || !existing.Refuses)))
            {
                byPair[decision.Pair] = decision;
            }
        }

        return [.. byPair.Values.OrderBy(c => c.Purpose).ThenBy(c => c.Channel)];
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
}
