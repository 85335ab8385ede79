namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CampaignPayload")]
public sealed record CampaignPayload([property: Id(0)] string? Campaign) : EventPayload;
