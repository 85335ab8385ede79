namespace ProfileGrains.Domain;

/// <summary>
/// A French postal code's département (two digits, 2A/2B for Corsica, three for the overseas ones) and its region
/// (the thirteen of 2016 and the five overseas), without a network call: the postal code's leading digits name the
/// département, except for Corsica, where 20000–20199 is Corse-du-Sud (2A) and 20200–20999 Haute-Corse (2B).
/// </summary>
public static class FrenchGeography
{
    private static readonly Dictionary<string, string> RegionOf = Regions(
        ("Auvergne-Rhône-Alpes", ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]),
        ("Bourgogne-Franche-Comté", ["21", "25", "39", "58", "70", "71", "89", "90"]),
        ("Bretagne", ["22", "29", "35", "56"]),
        ("Centre-Val de Loire", ["18", "28", "36", "37", "41", "45"]),
        ("Corse", ["2A", "2B"]),
        ("Grand Est", ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]),
        ("Hauts-de-France", ["02", "59", "60", "62", "80"]),
        ("Île-de-France", ["75", "77", "78", "91", "92", "93", "94", "95"]),
        ("Normandie", ["14", "27", "50", "61", "76"]),
        ("Nouvelle-Aquitaine", ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"]),
        ("Occitanie", ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]),
        ("Pays de la Loire", ["44", "49", "53", "72", "85"]),
        ("Provence-Alpes-Côte d'Azur", ["04", "05", "06", "13", "83", "84"]),
        ("Guadeloupe", ["971"]),
        ("Martinique", ["972"]),
        ("Guyane", ["973"]),
        ("La Réunion", ["974"]),
        ("Mayotte", ["976"]));

    /// <summary>The département of a French postal code ("75011" → "75", "20167" → "2A", "97400" → "974"), or null.</summary>
    public static string? Department(string? postalCode)
    {
        if (postalCode is not { Length: 5 } || !postalCode.All(char.IsAsciiDigit))
        {
            return null;
        }

        var department = postalCode.StartsWith("97", StringComparison.Ordinal) ? postalCode[..3]
            : postalCode.StartsWith("20", StringComparison.Ordinal) ? (string.CompareOrdinal(postalCode, "20200") < 0 ? "2A" : "2B")
            : postalCode[..2];
        return RegionOf.ContainsKey(department) ? department : null;
    }

    /// <summary>The region of a département, or null.</summary>
    public static string? Region(string? department) => department is not null && RegionOf.TryGetValue(department, out var region) ? region : null;

    /// <summary>The département of the customer's first French address (country FR, or none given), or null.</summary>
    public static string? DepartmentOf(ProfileTraits traits) =>
        traits.Addresses.Where(a => a.CountryCode is null or "FR").Select(a => Department(a.PostalCode)).FirstOrDefault(d => d is not null);

    private static Dictionary<string, string> Regions(params (string Region, string[] Departments)[] regions) =>
        regions.SelectMany(r => r.Departments.Select(d => (d, r.Region))).ToDictionary(x => x.d, x => x.Region, StringComparer.Ordinal);
}
