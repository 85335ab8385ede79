namespace ProfileGrains.Domain;

/// <summary>Since when, and why, an identifier is quarantined.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentifierQuarantine")]
public sealed record IdentifierQuarantine(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] string Reason);
