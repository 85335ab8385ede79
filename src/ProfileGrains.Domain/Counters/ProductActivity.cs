namespace ProfileGrains.Domain;

/// <summary>
/// Which categories and products the customer bought or viewed, and when last: what rules such as "bought running
/// shoes in the last 90 days" read. Exact for every window (the last time is kept, not a bucket), bounded by
/// <see cref="MaxCategories"/> and <see cref="MaxProducts"/>: the one touched longest ago makes room.
/// </summary>
[GenerateSerializer, Alias("pg.ProductActivity")]
public sealed class ProductActivity
{
    public const int MaxCategories = 32;
    public const int MaxProducts = 64;

    [Id(0)] public Dictionary<string, ProductTouch> Categories { get; private set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, ProductTouch> Products { get; private set; } = new(StringComparer.Ordinal);

    public void Bought(string sku, string? category, long ticks)
    {
        Touch(Products, sku, MaxProducts, ticks, bought: true);
        if (category is not null)
        {
            Touch(Categories, category, MaxCategories, ticks, bought: true);
        }
    }

    public void Viewed(string sku, string? category, long ticks)
    {
        Touch(Products, sku, MaxProducts, ticks, bought: false);
        if (category is not null)
        {
            Touch(Categories, category, MaxCategories, ticks, bought: false);
        }
    }

    /// <summary>The keys bought (or viewed) less than <paramref name="window"/> before <paramref name="now"/> (any time: null window).</summary>
    public static IReadOnlyList<string> Within(Dictionary<string, ProductTouch> touches, bool bought, TimeSpan? window, DateTimeOffset now)
    {
        var from = window is { } w ? now.UtcTicks - w.Ticks : long.MinValue;
        List<string>? result = null;
        foreach (var (key, touch) in touches)
        {
            var at = bought ? touch.BoughtTicks : touch.ViewedTicks;
            if (at != 0 && at > from && at <= now.UtcTicks + Limits.MaxClockSkew.Ticks)
            {
                (result ??= []).Add(key);
            }
        }

        return result ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Every instant a touch leaves one of <paramref name="windows"/>: when such a rule can change with no event.</summary>
    public IEnumerable<long> WindowExits(IEnumerable<TimeSpan> windows)
    {
        foreach (var window in windows)
        {
            foreach (var touch in Categories.Values.Concat(Products.Values))
            {
                if (touch.BoughtTicks != 0)
                {
                    yield return touch.BoughtTicks + window.Ticks;
                }

                if (touch.ViewedTicks != 0)
                {
                    yield return touch.ViewedTicks + window.Ticks;
                }
            }
        }
    }

    public void Absorb(ProductActivity other)
    {
        foreach (var (key, touch) in other.Categories)
        {
            Merge(Categories, key, touch, MaxCategories);
        }

        foreach (var (key, touch) in other.Products)
        {
            Merge(Products, key, touch, MaxProducts);
        }
    }

    private static void Touch(Dictionary<string, ProductTouch> touches, string key, int max, long ticks, bool bought)
    {
        var touch = touches.GetValueOrDefault(key);
        if (bought)
        {
            touch.BoughtTicks = Math.Max(touch.BoughtTicks, ticks);
        }
        else
        {
            touch.ViewedTicks = Math.Max(touch.ViewedTicks, ticks);
        }

        Merge(touches, key, touch, max);
    }

    private static void Merge(Dictionary<string, ProductTouch> touches, string key, ProductTouch touch, int max)
    {
        if (touches.TryGetValue(key, out var known))
        {
            touches[key] = new ProductTouch
            {
                BoughtTicks = Math.Max(known.BoughtTicks, touch.BoughtTicks),
                ViewedTicks = Math.Max(known.ViewedTicks, touch.ViewedTicks),
            };
            return;
        }

        if (touches.Count >= max)
        {
            var oldest = touches.MinBy(t => t.Value.Latest);
            if (oldest.Value.Latest >= touch.Latest)
            {
                return;
            }

            touches.Remove(oldest.Key);
        }

        touches[SharedStrings.Share(key)] = touch;
    }
}
