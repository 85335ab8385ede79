namespace ProfileGrains.Domain;

/// <summary>A campaign's figures among one segment's members.</summary>
[GenerateSerializer, Immutable, Alias("pg.SegmentFigures")]
public sealed record SegmentFigures([property: Id(0)] string SegmentId, [property: Id(1)] CampaignFigures Figures);
