namespace ProfileGrains.Domain;

/// <summary>
/// What a customer is into lately: categories and products weighted by how strong the signal was (a purchase more than
/// a cart, a cart more than a view) and how recent (the weight halves every two weeks). Bounded: the weakest are
/// forgotten first. Used for website personalisation, where last month's interest matters more than last year's.
/// </summary>
[GenerateSerializer, Alias("pg.RecentInterests")]
public sealed class RecentInterests
{
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(14);
    public const int Capacity = 50;

    // Written as dictionaries by earlier builds; each moves into its compact map on first use.
    [Id(0)] private Dictionary<string, DecayingScore>? _legacyCategories;
    [Id(1)] private Dictionary<string, DecayingScore>? _legacyProducts;
    [Id(2)] private CompactDictionary<string, DecayingScore>? _categories;
    [Id(3)] private CompactDictionary<string, DecayingScore>? _products;

    public CompactDictionary<string, DecayingScore> Categories => CompactDictionary.Read(ref _categories, ref _legacyCategories);

    public CompactDictionary<string, DecayingScore> Products => CompactDictionary.Read(ref _products, ref _legacyProducts);

    private CompactDictionary<string, DecayingScore> CategoriesToChange => CompactDictionary.Write(ref _categories, ref _legacyCategories);

    private CompactDictionary<string, DecayingScore> ProductsToChange => CompactDictionary.Write(ref _products, ref _legacyProducts);

    public static double Weight(EventType type) => type switch
    {
        EventType.Purchase => 5,
        EventType.AddToCart => 3,
        EventType.ProductView => 1,
        _ => 0,
    };

    public void Record(EventType type, string? sku, string? category, DateTimeOffset occurredAt)
    {
        var weight = Weight(type);
        if (weight <= 0)
        {
            return;
        }

        if (!string.IsNullOrEmpty(category))
        {
            Add(CategoriesToChange, category, weight, occurredAt.UtcTicks);
        }

        if (!string.IsNullOrEmpty(sku))
        {
            Add(ProductsToChange, sku, weight, occurredAt.UtcTicks);
        }
    }

    public void Absorb(RecentInterests other)
    {
        foreach (var (key, score) in other.Categories)
        {
            Add(CategoriesToChange, key, score.Value, score.AsOfTicks);
        }

        foreach (var (key, score) in other.Products)
        {
            Add(ProductsToChange, key, score.Value, score.AsOfTicks);
        }
    }

    public static IReadOnlyList<(string Key, double Score)> Top(CompactDictionary<string, DecayingScore> scores, DateTimeOffset now, int count)
    {
        var ticks = now.UtcTicks;
        return TopRanking.Of(scores, count, score => score.At(ticks));
    }

    /// <summary>Adds <paramref name="weight"/> given at <paramref name="ticks"/>; the score is kept as of the later instant.</summary>
    private static void Add(CompactDictionary<string, DecayingScore> scores, string key, double weight, long ticks)
    {
        if (scores.TryGetValue(key, out var known))
        {
            var asOf = Math.Max(known.AsOfTicks, ticks);
            scores[key] = new DecayingScore { Value = known.At(asOf) + (weight * Math.Pow(0.5, (double)(asOf - ticks) / HalfLife.Ticks)), AsOfTicks = asOf };
            return;
        }

        if (scores.Count >= Capacity)
        {
            var weakest = scores.MinBy(s => s.Value.At(ticks));
            if (weakest.Value.At(ticks) >= weight)
            {
                return;
            }

            scores.Remove(weakest.Key);
        }

        scores[SharedStrings.Share(key)] = new DecayingScore { Value = weight, AsOfTicks = ticks };
    }
}
