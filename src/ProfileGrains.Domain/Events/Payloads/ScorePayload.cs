namespace ProfileGrains.Domain;

/// <summary>
/// A satisfaction score (0-10, the NPS question) with the customer's comment, or a review (rating 1-5 of a product, with
/// its text); a suggestion is a review without a rating.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.ScorePayload")]
public sealed record ScorePayload(
    [property: Id(0)] int Score,
    [property: Id(1)] string? Sku,
    [property: Id(2)] string? Text = null,
    [property: Id(3)] bool Suggestion = false) : EventPayload;
