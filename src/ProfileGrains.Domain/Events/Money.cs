namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.Money")]
public readonly record struct Money([property: Id(0)] string CurrencyCode, [property: Id(1)] decimal Amount);
