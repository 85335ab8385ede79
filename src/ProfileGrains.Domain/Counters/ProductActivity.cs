namespace ProfileGrains.Domain;

/// <summary>
/// Which categories and products the customer bought or viewed, and when last: what rules such as "bought running
/// shoes in the last 90 days" read. Exact for every window (the last time is kept, not a bucket), bounded by
/// <see cref="MaxCategories"/> and <see cref="MaxProducts"/>: the one touched longest ago makes room. One compact list
/// of structs (32 bytes each), not two dictionaries: a million profiles each hold a few of these.
/// </summary>
[GenerateSerializer, Alias("pg.ProductActivity")]
public sealed class ProductActivity
{
    public const int MaxCategories = 32;
    public const int MaxProducts = 64;

    [Id(0)] private List<ProductTouch> _touches = [];

    public void Bought(string sku, string? category, long ticks)
    {
        Touch(sku, isCategory: false, bought: ticks, viewed: 0);
        if (category is not null)
        {
            Touch(category, isCategory: true, bought: ticks, viewed: 0);
        }
    }

    public void Viewed(string sku, string? category, long ticks)
    {
        Touch(sku, isCategory: false, bought: 0, viewed: ticks);
        if (category is not null)
        {
            Touch(category, isCategory: true, bought: 0, viewed: ticks);
        }
    }

    /// <summary>
    /// The categories (or products) bought (or viewed) less than <paramref name="window"/> before <paramref name="now"/>
    /// (any time: null window).
    /// </summary>
    public IReadOnlyList<string> Within(bool categories, bool bought, TimeSpan? window, DateTimeOffset now)
    {
        var from = window is { } w ? now.UtcTicks - w.Ticks : long.MinValue;
        List<string>? result = null;
        foreach (var touch in _touches)
        {
            var at = bought ? touch.BoughtTicks : touch.ViewedTicks;
            if (touch.IsCategory == categories && at != 0 && at > from)
            {
                (result ??= []).Add(touch.Key);
            }
        }

        return result ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Whether <paramref name="key"/> (ignoring case) was bought (or viewed) within the window: <see cref="Within"/> without building the list.</summary>
    public bool Touched(bool categories, bool bought, TimeSpan? window, DateTimeOffset now, string key)
    {
        var from = window is { } w ? now.UtcTicks - w.Ticks : long.MinValue;
        foreach (var touch in _touches)
        {
            var at = bought ? touch.BoughtTicks : touch.ViewedTicks;
            if (touch.IsCategory == categories && at != 0 && at > from && string.Equals(touch.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every instant a touch leaves one of <paramref name="windows"/>: when such a rule can change with no event.</summary>
    public IEnumerable<long> WindowExits(IEnumerable<TimeSpan> windows)
    {
        foreach (var window in windows)
        {
            foreach (var touch in _touches)
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

    /// <summary>The first of <see cref="WindowExits"/> after <paramref name="fromTicks"/>, or <see cref="long.MaxValue"/>.</summary>
    public long FirstWindowExitAfter(IReadOnlyList<TimeSpan> windows, long fromTicks)
    {
        var first = long.MaxValue;
        foreach (var touch in _touches)
        {
            for (var w = 0; w < windows.Count; w++)
            {
                var window = windows[w].Ticks;
                if (touch.BoughtTicks != 0 && touch.BoughtTicks + window > fromTicks)
                {
                    first = Math.Min(first, touch.BoughtTicks + window);
                }

                if (touch.ViewedTicks != 0 && touch.ViewedTicks + window > fromTicks)
                {
                    first = Math.Min(first, touch.ViewedTicks + window);
                }
            }
        }

        return first;
    }

    public void Absorb(ProductActivity other)
    {
        foreach (var touch in other._touches)
        {
            Touch(touch.Key, touch.IsCategory, touch.BoughtTicks, touch.ViewedTicks);
        }
    }

    private void Touch(string key, bool isCategory, long bought, long viewed)
    {
        var count = 0;
        var oldest = -1;
        for (var i = 0; i < _touches.Count; i++)
        {
            var touch = _touches[i];
            if (touch.IsCategory != isCategory)
            {
                continue;
            }

            if (touch.Key == key)
            {
                touch.BoughtTicks = Math.Max(touch.BoughtTicks, bought);
                touch.ViewedTicks = Math.Max(touch.ViewedTicks, viewed);
                _touches[i] = touch;
                return;
            }

            count++;
            if (oldest < 0 || touch.Latest < _touches[oldest].Latest)
            {
                oldest = i;
            }
        }

        var added = new ProductTouch { Key = SharedStrings.Share(key), IsCategory = isCategory, BoughtTicks = bought, ViewedTicks = viewed };
        if (count >= (isCategory ? MaxCategories : MaxProducts))
        {
            if (_touches[oldest].Latest >= added.Latest)
            {
                return;
            }

            _touches[oldest] = added;
            return;
        }

        CompactLists.EnsureRoomForOne(_touches);
        _touches.Add(added);
    }
}
