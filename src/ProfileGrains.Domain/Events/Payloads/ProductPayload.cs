namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ProductPayload")]
public sealed record ProductPayload(
    [property: Id(0)] string Sku,
    [property: Id(1)] string? Category,
    [property: Id(2)] int Quantity,
    [property: Id(3)] Money? UnitPrice) : EventPayload;
