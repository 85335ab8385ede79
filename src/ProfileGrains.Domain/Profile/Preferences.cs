namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.Preferences")]
public sealed record Preferences(
    [property: Id(0)] IReadOnlyList<string> Interests,
    [property: Id(1)] IReadOnlyDictionary<string, string> Sizes,
    [property: Id(2)] string? FavouriteDepartment,
    [property: Id(3)] IReadOnlyList<string> LifeEvents,
    [property: Id(4)] IReadOnlyList<string> Sports,
    [property: Id(5)] IReadOnlyDictionary<string, DateOnly>? LifeEventDates = null)
{
    public static Preferences Empty { get; } = new([], new Dictionary<string, string>(), null, [], []);

    /// <summary>When each dated life event happened (moved, birth, marriage…); none when null.</summary>
    public IReadOnlyDictionary<string, DateOnly> DatedLifeEvents => LifeEventDates ?? EmptyDates;

    /// <summary>Every life event the customer has, dated or not.</summary>
    public IReadOnlyList<string> AllLifeEvents => DatedLifeEvents.Count == 0 ? LifeEvents : [.. LifeEvents.Union(DatedLifeEvents.Keys, StringComparer.Ordinal)];

    private static readonly IReadOnlyDictionary<string, DateOnly> EmptyDates = new Dictionary<string, DateOnly>();
}
