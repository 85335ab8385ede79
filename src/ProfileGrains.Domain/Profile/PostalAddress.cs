namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.PostalAddress")]
public sealed record PostalAddress(
    [property: Id(0)] string? Label,
    [property: Id(1)] IReadOnlyList<string> Lines,
    [property: Id(2)] string? PostalCode,
    [property: Id(3)] string? City,
    [property: Id(4)] string? Region,
    [property: Id(5)] string? CountryCode);
