namespace ProfileGrains.Domain;

/// <summary>A contact with customer service: why, and how it ended.</summary>
[GenerateSerializer, Immutable, Alias("pg.SupportPayload")]
public sealed record SupportPayload([property: Id(0)] string? Topic, [property: Id(1)] SupportOutcome Outcome = SupportOutcome.Unspecified) : EventPayload;
