namespace ProfileGrains.Domain;

/// <summary>
/// An order: its total (what was paid, after discounts), lines, where it was placed and how it was paid.
/// <see cref="PaymentInstrument"/> is a payment provider's token or fingerprint, used only to tell instruments apart.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.PurchasePayload")]
public sealed record PurchasePayload(
    [property: Id(0)] string OrderId,
    [property: Id(1)] Money Total,
    [property: Id(2)] IReadOnlyList<LineItem> Items,
    [property: Id(3)] string? StoreId,
    [property: Id(4)] Money? Discount = null,
    [property: Id(5)] PaymentKind PaymentKind = PaymentKind.Unspecified,
    [property: Id(6)] string? PaymentInstrument = null) : EventPayload;
