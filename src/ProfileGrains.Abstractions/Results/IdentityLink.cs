namespace ProfileGrains.Abstractions;

[GenerateSerializer, Immutable, Alias("pg.IdentityLink")]
public sealed record IdentityLink(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason);
