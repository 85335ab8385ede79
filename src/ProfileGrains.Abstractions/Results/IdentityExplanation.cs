using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>Why an identifier belongs to its customer: who owns it, every change of owner, and its quarantine if any.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentityExplanation")]
public sealed record IdentityExplanation(
    [property: Id(0)] CustomerIdentifier Identifier,
    [property: Id(1)] string? CustomerId,
    [property: Id(2)] IReadOnlyList<IdentityLink> History,
    [property: Id(3)] IdentifierQuarantine? Quarantine = null);
