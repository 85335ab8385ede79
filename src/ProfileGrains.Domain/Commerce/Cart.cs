namespace ProfileGrains.Domain;

/// <summary>
/// What the customer has in their cart now, built from cart events: the basis of abandoned-cart activation. An online
/// checkout (a web or app purchase) empties the cart as it was at that instant; a purchase elsewhere takes out only the
/// products it contains. Events are filed by when they happened, so a cart change that arrives after a later checkout
/// stays emptied. Bounded by <see cref="Limits.MaxCartLines"/> products.
/// </summary>
[GenerateSerializer, Alias("pg.Cart")]
public sealed class Cart
{
    [Id(0)] private List<CartLine> _lines = [];

    /// <summary>The latest online checkout: cart changes up to it were emptied by it.</summary>
    [Id(1)] public long CheckedOutTicks { get; private set; }

    public IReadOnlyList<CartLine> Lines => _lines;

    public bool IsEmpty => _lines.Count == 0;

    /// <summary>Units in the cart, all products together.</summary>
    public int ItemCount => _lines.Sum(l => l.Quantity);

    /// <summary>When the cart last changed; null when it is empty (nothing is abandoned).</summary>
    public DateTimeOffset? LastChangedAt => _lines.Count == 0 ? null : new DateTimeOffset(_lines.Max(l => l.ChangedAtTicks), TimeSpan.Zero);

    /// <summary>The value of the lines priced in <paramref name="currency"/>.</summary>
    public decimal ValueIn(string currency) =>
        _lines.Where(l => l.UnitPrice is { } p && p.CurrencyCode == currency).Sum(l => l.UnitPrice!.Value.Amount * l.Quantity);

    public void Add(ProductPayload product, long ticks)
    {
        if (ticks <= CheckedOutTicks)
        {
            return;
        }

        var i = _lines.FindIndex(l => l.Sku == product.Sku);
        if (i >= 0)
        {
            var line = _lines[i];
            _lines[i] = line with
            {
                Quantity = (int)Math.Min(int.MaxValue, (long)line.Quantity + product.Quantity),
                UnitPrice = product.UnitPrice is { } price ? SharedStrings.Share(price) : line.UnitPrice,
                Category = product.Category is { } category ? SharedStrings.Share(category) : line.Category,
                ChangedAtTicks = Math.Max(line.ChangedAtTicks, ticks),
            };
        }
        else if (_lines.Count < Limits.MaxCartLines)
        {
            _lines.Add(new CartLine(
                SharedStrings.Share(product.Sku),
                product.Category is { } category ? SharedStrings.Share(category) : null,
                product.Quantity,
                product.UnitPrice is { } price ? SharedStrings.Share(price) : null,
                ticks));
        }
    }

    public void Remove(ProductPayload product, long ticks)
    {
        if (ticks <= CheckedOutTicks)
        {
            return;
        }

        var i = _lines.FindIndex(l => l.Sku == product.Sku);
        if (i < 0)
        {
            return;
        }

        var line = _lines[i];
        if (line.Quantity <= product.Quantity)
        {
            _lines.RemoveAt(i);
        }
        else
        {
            _lines[i] = line with { Quantity = line.Quantity - product.Quantity, ChangedAtTicks = Math.Max(line.ChangedAtTicks, ticks) };
        }
    }

    public void Purchased(PurchasePayload purchase, Channel channel, long ticks)
    {
        if (channel is Channel.Web or Channel.App)
        {
            CheckedOutTicks = Math.Max(CheckedOutTicks, ticks);
            _lines.RemoveAll(l => l.ChangedAtTicks <= ticks);
            return;
        }

        foreach (var item in purchase.Items)
        {
            _lines.RemoveAll(l => l.Sku == item.Sku && l.ChangedAtTicks <= ticks);
        }
    }

    /// <summary>A merge: both carts, each product from the side that changed it last.</summary>
    public void Absorb(Cart other)
    {
        CheckedOutTicks = Math.Max(CheckedOutTicks, other.CheckedOutTicks);
        foreach (var theirs in other._lines)
        {
            var i = _lines.FindIndex(l => l.Sku == theirs.Sku);
            if (i >= 0)
            {
                if (theirs.ChangedAtTicks > _lines[i].ChangedAtTicks)
                {
                    _lines[i] = theirs;
                }
            }
            else if (_lines.Count < Limits.MaxCartLines)
            {
                _lines.Add(theirs);
            }
        }

        _lines.RemoveAll(l => l.ChangedAtTicks <= CheckedOutTicks);
    }
}
