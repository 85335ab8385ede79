namespace ProfileGrains.Domain;

/// <summary>A read-only copy of a profile as of one instant, safe to hand across grain boundaries without copying.</summary>
[GenerateSerializer, Immutable, Alias("pg.ProfileView")]
public sealed record ProfileView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset UpdatedAt,
    [property: Id(3)] IReadOnlyList<CustomerIdentifier> Identifiers,
    [property: Id(4)] ProfileTraits Traits,
    [property: Id(5)] TransactionView Transactions,
    [property: Id(6)] IReadOnlyList<CounterView> Counters,
    [property: Id(7)] IReadOnlyList<string> SegmentIds,
    [property: Id(8)] IReadOnlyList<string> TopCategories,
    [property: Id(9)] CustomerScores Scores,
    [property: Id(10)] ActivityView Activity,
    [property: Id(11)] Enrichment Enrichment)
{
    public static ProfileView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring)
    {
        var t = p.Transactions;
        var transactions = new TransactionView(
            t.FirstPurchaseAt,
            t.LastPurchaseAt,
            t.OrderCount,
            MoneyTotals.InCurrencyOrder(t.SpendByCurrency),
            [.. t.AverageBasket().OrderBy(m => m.CurrencyCode, StringComparer.Ordinal)],
            [.. t.ByChannel.OrderBy(kv => kv.Key).Select(kv => new ChannelSpendView(
                kv.Key,
                kv.Value.OrderCount,
                MoneyTotals.InCurrencyOrder(kv.Value.SpendByCurrency)))],
            t.PreferredStoreId,
            t.LastPurchaseTotal);

        var counters = p.Counters.ByType
            .OrderBy(kv => kv.Key)
            .Select(kv => new CounterView(
                kv.Key,
                Enum.GetValues<CounterWindow>().ToDictionary(w => w, w => kv.Value.Count(w, now)),
                kv.Value.LastOccurredAt))
            .ToList();

        return new ProfileView(
            p.CustomerId,
            p.CreatedAt ?? now,
            p.UpdatedAt ?? now,
            [.. p.Identifiers],
            p.Traits,
            transactions,
            counters,
            [.. p.SegmentIds],
            p.TopCategories(),
            CustomerScoring.Compute(p, now, scoring),
            ActivityView.From(p, now, scoring),
            p.Enriched);
    }
}
