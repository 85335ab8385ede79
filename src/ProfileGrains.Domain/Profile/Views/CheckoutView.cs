namespace ProfileGrains.Domain;

/// <summary>What a till needs at checkout, and nothing more.</summary>
[GenerateSerializer, Immutable, Alias("pg.CheckoutView")]
public sealed record CheckoutView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] PersonName Name,
    [property: Id(2)] string? LoyaltyId,
    [property: Id(3)] string? LoyaltyTier,
    [property: Id(4)] IReadOnlyList<ConsentDecision> Consents,
    [property: Id(5)] DateTimeOffset? LastPurchaseAt,
    [property: Id(6)] Money? LastPurchaseTotal,
    [property: Id(7)] IReadOnlyList<Money> LifetimeSpend,
    [property: Id(8)] long OrderCount,
    [property: Id(9)] string? PreferredStoreId,
    [property: Id(10)] IReadOnlyList<string> SegmentIds,
    [property: Id(11)] CustomerScores Scores,
    [property: Id(12)] IReadOnlyList<string> FavouriteCategories,
    [property: Id(13)] string? NextBestCategory,
    [property: Id(14)] IReadOnlyList<string> Anomalies,
    [property: Id(15)] long Returns,
    [property: Id(16)] string? NpsGroup)
{
    /// <summary>What the seller sees: who, their consents, their purchases, their value and risk, and anything unusual.</summary>
    public static CheckoutView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring) => new(
        p.CustomerId,
        p.Traits.Name,
        p.LoyaltyId,
        p.Traits.LoyaltyTier,
        p.Traits.Consents,
        p.Transactions.LastPurchaseAt,
        p.Transactions.LastPurchaseTotal,
        MoneyTotals.InCurrencyOrder(p.Transactions.SpendByCurrency),
        p.Transactions.OrderCount,
        p.Transactions.PreferredStoreId,
        [.. p.SegmentIds],
        CustomerScoring.Compute(p, now, scoring),
        p.TopCategories(3),
        NextBestOffer.Category(p, now),
        Domain.Anomalies.Detect(p, now, scoring),
        p.Transactions.ReturnCount,
        p.Feedback?.NpsGroup);
}
