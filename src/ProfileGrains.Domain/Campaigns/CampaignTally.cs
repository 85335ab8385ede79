namespace ProfileGrains.Domain;

/// <summary>
/// What one event adds to a campaign's indicators: messages sent, delivered and bounced count each time; an open, a
/// click, an unsubscribe and a conversion count once per customer (<see cref="Unique"/> holds those reached for the
/// first time). <see cref="SegmentIds"/> are the customer's segments, so the campaign can be read per segment.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CampaignTally")]
public sealed record CampaignTally(
    [property: Id(0)] string Campaign,
    [property: Id(1)] CampaignReach Messages,
    [property: Id(2)] CampaignReach Unique,
    [property: Id(3)] Money? Revenue,
    [property: Id(4)] IReadOnlyList<string> SegmentIds,
    [property: Id(5)] string? EventId = null);
