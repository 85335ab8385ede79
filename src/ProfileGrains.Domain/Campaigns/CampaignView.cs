namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CampaignView")]
public sealed record CampaignView(
    [property: Id(0)] string Campaign,
    [property: Id(1)] CampaignFigures Total,
    [property: Id(2)] IReadOnlyList<SegmentFigures> BySegment,
    [property: Id(3)] DateTimeOffset? FirstEventAt,
    [property: Id(4)] DateTimeOffset? LastEventAt);
