namespace ProfileGrains.Domain;

/// <summary>
/// Survivorship: how two records of one person become one. Pure and deterministic; documented in the README.
/// </summary>
public static class Survivorship
{
    public const string SurvivorRule = "oldest-customer-survives";
    public const int MaxMergeHistory = 100;

    /// <summary>
    /// The customer that survives a merge: the one created first. Customer ids are UUIDv7, time-ordered, so the
    /// smallest id is the oldest record; comparing ids needs no extra call and gives every silo the same answer.
    /// </summary>
    public static string ChooseSurvivor(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;

    /// <summary>
    /// Traits: per field, the most recently updated record's value when it has one, else the other's. Sets (interests,
    /// sports, life events) are united within their limits; maps (sizes, custom attributes) merge key by key, the most
    /// recent record winning a shared key; consents keep the latest explicit decision per channel.
    /// </summary>
    public static ProfileTraits MergeTraits(ProfileTraits newer, ProfileTraits older)
    {
        var n = newer.Name;
        var o = older.Name;
        return new ProfileTraits
        {
            Name = new PersonName(
                n.GivenName ?? o.GivenName, n.FamilyName ?? o.FamilyName, n.MiddleNames ?? o.MiddleNames,
                n.MaidenName ?? o.MaidenName, n.Nickname ?? o.Nickname, n.Title ?? o.Title),
            BirthDate = newer.BirthDate ?? older.BirthDate,
            Gender = newer.Gender != Gender.Unspecified ? newer.Gender : older.Gender,
            Locale = newer.Locale ?? older.Locale,
            Addresses = newer.Addresses.Count > 0 ? newer.Addresses : older.Addresses,
            Occupation = newer.Occupation ?? older.Occupation,
            Company = newer.Company ?? older.Company,
            Preferences = new Preferences(
                Union(newer.Preferences.Interests, older.Preferences.Interests, Limits.MaxSetItems),
                MergeMap(newer.Preferences.Sizes, older.Preferences.Sizes, Limits.MaxSizes),
                newer.Preferences.FavouriteDepartment ?? older.Preferences.FavouriteDepartment,
                Union(newer.Preferences.LifeEvents, older.Preferences.LifeEvents, Limits.MaxSetItems),
                Union(newer.Preferences.Sports, older.Preferences.Sports, Limits.MaxSetItems),
                MergeDates(newer.Preferences.DatedLifeEvents, older.Preferences.DatedLifeEvents)),
            CustomAttributes = MergeMap(newer.CustomAttributes, older.CustomAttributes, Limits.MaxCustomAttributes),
            Consents = TraitsUpdater.MergeConsents(older.Consents, newer.Consents),
            LoyaltyTier = newer.LoyaltyTier ?? older.LoyaltyTier,
        };
    }

    private static IReadOnlyList<string> Union(IReadOnlyList<string> first, IReadOnlyList<string> second, int max) =>
        [.. first.Concat(second).Distinct(StringComparer.Ordinal).Take(max)];

    private static IReadOnlyDictionary<string, string> MergeMap(IReadOnlyDictionary<string, string> first, IReadOnlyDictionary<string, string> second, int max)
    {
        var merged = new Dictionary<string, string>(first);
        foreach (var (key, value) in second)
        {
            if (merged.Count >= max)
            {
                break;
            }

            merged.TryAdd(key, value);
        }

        return merged;
    }

    /// <summary>Both records' dated life events; the newer record's date wins for an event both hold.</summary>
    private static IReadOnlyDictionary<string, DateOnly>? MergeDates(IReadOnlyDictionary<string, DateOnly> newer, IReadOnlyDictionary<string, DateOnly> older)
    {
        if (newer.Count == 0 && older.Count == 0)
        {
            return null;
        }

        var merged = new Dictionary<string, DateOnly>(older, StringComparer.Ordinal);
        foreach (var (name, date) in newer)
        {
            merged[name] = date;
        }

        return merged.Count <= Limits.MaxSetItems ? merged : merged.OrderByDescending(d => d.Value).Take(Limits.MaxSetItems).ToDictionary(StringComparer.Ordinal);
    }
}
