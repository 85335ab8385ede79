using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.SegmentCatalogState")]
public sealed class SegmentCatalogState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public Dictionary<string, SegmentDefinition> Definitions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Segments deleted and not defined again: customers drop them from their own list when next read.</summary>
    [Id(2)] public HashSet<string> Deleted { get; set; } = new(StringComparer.Ordinal);
}
