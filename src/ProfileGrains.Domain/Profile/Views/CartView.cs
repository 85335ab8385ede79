namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CartView")]
public sealed record CartView(
    [property: Id(0)] IReadOnlyList<CartLine> Lines,
    [property: Id(1)] int ItemCount,
    [property: Id(2)] DateTimeOffset? LastChangedAt)
{
    public static readonly CartView Empty = new([], 0, null);

    public static CartView From(Cart? cart) => cart is null || cart.IsEmpty ? Empty : new([.. cart.Lines], cart.ItemCount, cart.LastChangedAt);
}
