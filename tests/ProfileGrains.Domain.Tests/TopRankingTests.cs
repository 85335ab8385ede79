namespace ProfileGrains.Domain.Tests;

public sealed class TopRankingTests
{
    [Fact]
    public void It_ranks_as_a_full_sort_by_score_then_key_would_for_random_maps_and_counts()
    {
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var map = new CompactDictionary<string, int>();
            var size = random.Next(0, 30);
            for (var i = 0; i < size; i++)
            {
                // Few distinct scores, so ties (broken by key) are common; keys differ in case and length.
                map[random.Next(3) switch { 0 => "k" + random.Next(50), 1 => "K" + random.Next(50), _ => "k" + random.Next(5) + "x" }] = random.Next(-3, 4);
            }

            var count = random.Next(0, 12);
            var expected = map.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(count)
                .Select(kv => (kv.Key, (double)kv.Value)).ToArray();

            Assert.Equal(expected, TopRanking.Of(map, count, static v => v));
        }
    }

    [Fact]
    public void A_score_that_is_not_a_number_ranks_last_as_in_a_sort()
    {
        var map = new CompactDictionary<string, double> { ["nan"] = double.NaN, ["low"] = -1, ["high"] = 2 };

        Assert.Equal(["high", "low", "nan"], TopRanking.Of(map, 3, static v => v).Select(t => t.Key));
    }

    [Fact]
    public void Favourite_categories_and_the_preferred_store_are_the_most_frequent_ties_by_name()
    {
        var tally = new CompactDictionary<string, int> { ["shoes"] = 2, ["bags"] = 5, ["hats"] = 2, ["coats"] = 1 };

        Assert.Equal(["bags", "hats", "shoes"], BoundedTally.Top(tally, 3));
        Assert.Empty(BoundedTally.Top(new CompactDictionary<string, int>(), 3));
    }

    [Fact]
    public void Amounts_per_currency_are_listed_in_ordinal_currency_order()
    {
        var amounts = new CompactDictionary<string, decimal> { ["USD"] = 3m, ["EUR"] = 10.5m, ["CHF"] = 1m, ["GBP"] = 0m };

        Assert.Equal([new Money("CHF", 1m), new Money("EUR", 10.5m), new Money("GBP", 0m), new Money("USD", 3m)], MoneyTotals.InCurrencyOrder(amounts));
        Assert.Empty(MoneyTotals.InCurrencyOrder(new CompactDictionary<string, decimal>()));
    }
}
