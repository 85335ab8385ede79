using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

[GenerateSerializer, Immutable, Alias("pg.SegmentInfo")]
public sealed record SegmentInfo(
    [property: Id(0)] SegmentDefinition Definition,
    [property: Id(1)] long MemberCount,
    [property: Id(2)] BackfillProgress Backfill);
