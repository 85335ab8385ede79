using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.SegmentState")]
public sealed class SegmentState
{
    [Id(0)] public SegmentDefinition? Definition { get; set; }

    /// <summary>The last version ever given, kept after a delete so a re-created segment never reuses a version.</summary>
    [Id(2)] public long LastVersion { get; set; }

    [Id(3)] public BackfillProgress? Backfill { get; set; }

    /// <summary>The last customer id the back-fill reached (directory order), to resume after a restart.</summary>
    [Id(4)] public string? BackfillCursor { get; set; }

    /// <summary>Catalog version holding this definition: customers evaluating for the back-fill must have at least it.</summary>
    [Id(5)] public long CatalogVersion { get; set; }
}
