namespace ProfileGrains.Domain;

/// <summary>An identifier an unmerge gave back to another record, so requests still routed by it can be sent there.</summary>
[GenerateSerializer, Immutable, Alias("pg.MovedIdentifier")]
public sealed record MovedIdentifier([property: Id(0)] CustomerIdentifier Identifier, [property: Id(1)] string CustomerId);
