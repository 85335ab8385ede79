namespace ProfileGrains.Domain;

/// <summary>
/// Online scores of one customer, computed from the profile alone (see <see cref="CustomerScoring.Compute"/>).
/// Recency, Frequency and Monetary are 1–5, or 0 when the customer never bought.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerScores")]
public sealed record CustomerScores(
    [property: Id(0)] int Recency,
    [property: Id(1)] int Frequency,
    [property: Id(2)] int Monetary,
    [property: Id(3)] RfmSegment Segment,
    [property: Id(4)] string Currency,
    [property: Id(5)] decimal HistoricalValue,
    [property: Id(6)] decimal ExpectedValue,
    [property: Id(7)] double ChurnRisk,
    [property: Id(8)] int Engagement,
    [property: Id(9)] ChannelMix ChannelMix,
    [property: Id(10)] int? DaysSinceLastPurchase,
    [property: Id(11)] double? PurchaseIntervalDays)
{
    /// <summary>The value tier a seller reads: top, high, medium or low by lifetime spend (the monetary score 5, 4, 3, 1-2), none before a purchase.</summary>
    public string ValueTier => TierOf(Monetary);

    /// <summary>The value tier of a monetary score.</summary>
    public static string TierOf(int monetary) => monetary switch
    {
        5 => "top",
        4 => "high",
        3 => "medium",
        >= 1 => "low",
        _ => "none",
    };
}
