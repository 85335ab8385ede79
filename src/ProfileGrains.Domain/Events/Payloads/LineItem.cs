namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.LineItem")]
public sealed record LineItem(
    [property: Id(0)] string Sku,
    [property: Id(1)] string? Category,
    [property: Id(2)] int Quantity,
    [property: Id(3)] Money? UnitPrice,
    [property: Id(4)] Money? Discount = null);
