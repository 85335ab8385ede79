using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>Every segment definition at one catalog version.</summary>
[GenerateSerializer, Immutable, Alias("pg.SegmentCatalogSnapshot")]
public sealed record SegmentCatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<SegmentDefinition> Definitions,
    [property: Id(2)] IReadOnlyList<string> Deleted);
