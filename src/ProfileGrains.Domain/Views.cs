namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CounterView")]
public sealed record CounterView(
    [property: Id(0)] EventType EventType,
    [property: Id(1)] IReadOnlyDictionary<CounterWindow, long> Windows,
    [property: Id(2)] DateTimeOffset? LastOccurredAt);

[GenerateSerializer, Immutable, Alias("pg.ChannelSpendView")]
public sealed record ChannelSpendView(
    [property: Id(0)] Channel Channel,
    [property: Id(1)] long OrderCount,
    [property: Id(2)] IReadOnlyList<Money> Spend);

[GenerateSerializer, Immutable, Alias("pg.TransactionView")]
public sealed record TransactionView(
    [property: Id(0)] DateTimeOffset? FirstPurchaseAt,
    [property: Id(1)] DateTimeOffset? LastPurchaseAt,
    [property: Id(2)] long OrderCount,
    [property: Id(3)] IReadOnlyList<Money> TotalSpend,
    [property: Id(4)] IReadOnlyList<Money> AverageBasket,
    [property: Id(5)] IReadOnlyList<ChannelSpendView> ByChannel,
    [property: Id(6)] string? PreferredStoreId,
    [property: Id(7)] Money? LastPurchaseTotal);

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
    [property: Id(9)] CustomerScores Scores)
{
    public static ProfileView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring)
    {
        var t = p.Transactions;
        var transactions = new TransactionView(
            t.FirstPurchaseAt,
            t.LastPurchaseAt,
            t.OrderCount,
            [.. t.SpendByCurrency.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new Money(kv.Key, kv.Value))],
            [.. t.AverageBasket().OrderBy(m => m.CurrencyCode, StringComparer.Ordinal)],
            [.. t.ByChannel.OrderBy(kv => kv.Key).Select(kv => new ChannelSpendView(
                kv.Key,
                kv.Value.OrderCount,
                [.. kv.Value.SpendByCurrency.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new Money(s.Key, s.Value))]))],
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
            CustomerScoring.Compute(p, now, scoring));
    }
}

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
    [property: Id(10)] IReadOnlyList<string> SegmentIds)
{
    public static CheckoutView From(CustomerProfile p) => new(
        p.CustomerId,
        p.Traits.Name,
        p.LoyaltyId,
        p.Traits.LoyaltyTier,
        p.Traits.Consents,
        p.Transactions.LastPurchaseAt,
        p.Transactions.LastPurchaseTotal,
        [.. p.Transactions.SpendByCurrency.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new Money(kv.Key, kv.Value))],
        p.Transactions.OrderCount,
        p.Transactions.PreferredStoreId,
        [.. p.SegmentIds]);
}

[GenerateSerializer, Immutable, Alias("pg.ScoredInterest")]
public sealed record ScoredInterest([property: Id(0)] string Key, [property: Id(1)] double Score);

/// <summary>What a website needs to personalise a page for this visitor, in one read.</summary>
[GenerateSerializer, Immutable, Alias("pg.PersonalizationView")]
public sealed record PersonalizationView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] IReadOnlyList<string> SegmentIds,
    [property: Id(2)] CustomerScores Scores,
    [property: Id(3)] IReadOnlyList<ScoredInterest> TopCategories,
    [property: Id(4)] IReadOnlyList<ScoredInterest> TopProducts,
    [property: Id(5)] IReadOnlyList<ConsentDecision> Consents)
{
    public const int TopCount = 10;

    public static PersonalizationView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring) => new(
        p.CustomerId,
        [.. p.SegmentIds],
        CustomerScoring.Compute(p, now, scoring),
        [.. RecentInterests.Top(p.Interests.Categories, now, TopCount).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))],
        [.. RecentInterests.Top(p.Interests.Products, now, TopCount).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))],
        [.. p.Traits.Consents]);
}
