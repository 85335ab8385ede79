namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CustomerChange.Traits")]
public sealed record TraitsChange(
    DateTimeOffset At,
    [property: Id(0)] TraitsUpdate Update) : CustomerChange(At);
