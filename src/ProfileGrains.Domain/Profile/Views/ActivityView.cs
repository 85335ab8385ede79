namespace ProfileGrains.Domain;

/// <summary>What the events said beyond their counts, as of one instant.</summary>
[GenerateSerializer, Immutable, Alias("pg.ActivityView")]
public sealed record ActivityView(
    [property: Id(0)] CartView Cart,
    [property: Id(1)] long Returns,
    [property: Id(2)] IReadOnlyList<Money> Refunded,
    [property: Id(3)] int? LastSatisfaction,
    [property: Id(4)] string? NpsGroup,
    [property: Id(5)] int Reviews,
    [property: Id(6)] decimal? AverageRating,
    [property: Id(7)] IReadOnlyList<string> Subscriptions,
    [property: Id(8)] IReadOnlyList<string> Anomalies,
    [property: Id(9)] IReadOnlyList<CampaignEngagement> Campaigns)
{
    public static ActivityView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring) => new(
        CartView.From(p.Cart),
        p.Transactions.ReturnCount,
        [.. (p.Transactions.RefundByCurrency ?? []).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new Money(r.Key, r.Value))],
        p.Feedback?.LastSatisfaction,
        p.Feedback?.NpsGroup,
        p.Feedback?.Reviews ?? 0,
        p.Feedback?.AverageRating,
        p.Subscriptions?.Active ?? [],
        Domain.Anomalies.Detect(p, now, scoring),
        [.. p.Campaigns?.Campaigns ?? []]);
}
