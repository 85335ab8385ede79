namespace ProfileGrains.Domain;

/// <summary>Goods brought back from an order: what was refunded, which lines, where and why.</summary>
[GenerateSerializer, Immutable, Alias("pg.ReturnPayload")]
public sealed record ReturnPayload(
    [property: Id(0)] string OrderId,
    [property: Id(1)] Money Refund,
    [property: Id(2)] IReadOnlyList<LineItem> Items,
    [property: Id(3)] string? StoreId,
    [property: Id(4)] string? Reason) : EventPayload;
