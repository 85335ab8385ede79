namespace ProfileGrains.Domain;

/// <summary>One product in a cart: how many, at what price, and when this line last changed.</summary>
[GenerateSerializer, Immutable, Alias("pg.CartLine")]
public sealed record CartLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] string? Category,
    [property: Id(2)] int Quantity,
    [property: Id(3)] Money? UnitPrice,
    [property: Id(4)] long ChangedAtTicks)
{
    public DateTimeOffset ChangedAt => new(ChangedAtTicks, TimeSpan.Zero);
}
