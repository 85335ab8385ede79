using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>An identifier that could not be linked because another customer already owns it.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentifierConflict")]
public sealed record IdentifierConflict(
    [property: Id(0)] CustomerIdentifier Identifier,
    [property: Id(1)] string OwnerCustomerId,
    [property: Id(2)] string Reason);
