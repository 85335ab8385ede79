namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.PersonName")]
public sealed record PersonName(
    [property: Id(0)] string? GivenName = null,
    [property: Id(1)] string? FamilyName = null,
    [property: Id(2)] string? MiddleNames = null,
    [property: Id(3)] string? MaidenName = null,
    [property: Id(4)] string? Nickname = null,
    [property: Id(5)] string? Title = null)
{
    public bool IsEmpty => GivenName is null && FamilyName is null && MiddleNames is null && MaidenName is null && Nickname is null && Title is null;
}
