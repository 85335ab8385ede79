namespace ProfileGrains.Domain;

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
