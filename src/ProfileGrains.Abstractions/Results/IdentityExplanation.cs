using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>Why an identifier belongs to its customer: who owns it and every change of owner.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentityExplanation")]
public sealed record IdentityExplanation(
    [property: Id(0)] CustomerIdentifier Identifier,
    [property: Id(1)] string? CustomerId,
    [property: Id(2)] IReadOnlyList<IdentityLink> History);
