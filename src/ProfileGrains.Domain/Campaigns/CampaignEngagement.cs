namespace ProfileGrains.Domain;

/// <summary>One campaign as one customer lived it: the steps reached, and when they last clicked.</summary>
[GenerateSerializer, Immutable, Alias("pg.CampaignEngagement")]
public sealed record CampaignEngagement(
    [property: Id(0)] string Campaign,
    [property: Id(1)] CampaignReach Reach,
    [property: Id(2)] long LastClickTicks,
    [property: Id(3)] long LastTouchTicks);
