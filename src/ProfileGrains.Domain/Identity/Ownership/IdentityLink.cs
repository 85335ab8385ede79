namespace ProfileGrains.Domain;

/// <summary>One change of owner of an identifier: to whom, when, and why (first seen, a merge, a repair).</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentityLink")]
public sealed record IdentityLink(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason);
