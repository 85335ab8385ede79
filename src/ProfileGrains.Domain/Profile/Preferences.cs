namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.Preferences")]
public sealed record Preferences(
    [property: Id(0)] IReadOnlyList<string> Interests,
    [property: Id(1)] IReadOnlyDictionary<string, string> Sizes,
    [property: Id(2)] string? FavouriteDepartment,
    [property: Id(3)] IReadOnlyList<string> LifeEvents,
    [property: Id(4)] IReadOnlyList<string> Sports)
{
    public static Preferences Empty { get; } = new([], new Dictionary<string, string>(), null, [], []);
}
