namespace ProfileGrains.Domain;

/// <summary>A campaign's figures as read: counts, revenue, and rates (null when their denominator is zero).</summary>
[GenerateSerializer, Immutable, Alias("pg.CampaignFigures")]
public sealed record CampaignFigures(
    [property: Id(0)] long Sent,
    [property: Id(1)] long Delivered,
    [property: Id(2)] long Bounced,
    [property: Id(3)] long Opened,
    [property: Id(4)] long Clicked,
    [property: Id(5)] long Unsubscribed,
    [property: Id(6)] long Converted,
    [property: Id(7)] IReadOnlyList<Money> Revenue,
    [property: Id(8)] decimal? OpenRate,
    [property: Id(9)] decimal? ClickRate,
    [property: Id(10)] decimal? UnsubscribeRate,
    [property: Id(11)] decimal? BounceRate,
    [property: Id(12)] decimal? ConversionRate);
