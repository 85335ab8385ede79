namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CustomerChange.Identify")]
public sealed record IdentifyChange(
    DateTimeOffset At,
    [property: Id(0)] IReadOnlyList<CustomerIdentifier> Linked,
    [property: Id(1)] TraitsUpdate Traits,
    [property: Id(2)] int AnonymousIdCap = 0) : CustomerChange(At);
