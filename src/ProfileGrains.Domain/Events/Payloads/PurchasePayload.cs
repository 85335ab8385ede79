namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.PurchasePayload")]
public sealed record PurchasePayload(
    [property: Id(0)] string OrderId,
    [property: Id(1)] Money Total,
    [property: Id(2)] IReadOnlyList<LineItem> Items,
    [property: Id(3)] string? StoreId) : EventPayload;
