using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class CompactDictionaryTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void It_behaves_as_a_dictionary_under_a_random_mix_of_sets_adds_and_removes()
    {
        var random = new Random(11);
        var map = new CompactDictionary<string, int>();
        var reference = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 5_000; i++)
        {
            var key = "k" + random.Next(0, 40);
            switch (random.Next(0, 4))
            {
                case 0:
                    Assert.Equal(reference.Remove(key), map.Remove(key));
                    break;
                case 1:
                    Assert.Equal(reference.TryAdd(key, i), !map.ContainsKey(key) && Added(map, key, i));
                    break;
                default:
                    reference[key] = i;
                    map[key] = i;
                    break;
            }

            Assert.Equal(reference.Count, map.Count);
        }

        Assert.Equal(reference.OrderBy(p => p.Key, StringComparer.Ordinal), map.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.All(reference, p => Assert.Equal(p.Value, map[p.Key]));
        Assert.Throws<KeyNotFoundException>(() => map["absent"]);
        Assert.Throws<ArgumentException>(() => map.Add(reference.Keys.First(), 0));
    }

    [Fact]
    public void Keys_are_compared_ordinally_and_kept_in_insertion_order()
    {
        var map = new CompactDictionary<string, decimal> { ["é"] = 1m, ["e\u0301"] = 2m, ["E"] = 3m };

        Assert.Equal(["é", "e\u0301", "E"], map.Keys);
        Assert.Equal([1m, 2m, 3m], map.Values);
        Assert.Equal(0m, map.GetValueOrDefault("e"));
    }

    [Fact]
    public void The_maps_of_a_profile_survive_a_snapshot_round_trip()
    {
        var profile = NewProfile();
        profile.Apply(Purchase("p1", "ORD-1", Eur(10m), Now.AddHours(-1), Channel.Store, "S-1", Item("SKU-1", "tentes")), Now);
        profile.Apply(Purchase("p2", "ORD-2", new Money("USD", 7m), Now.AddHours(-1), Channel.Web, null, Item("SKU-2", "sacs")), Now);
        profile.Apply(Event("v1", EventType.ProductView, new ProductPayload("SKU-3", "lampes", 1, null), Now.AddMinutes(-5)), Now);
        profile.Apply(Event("r1", EventType.Return, new ReturnPayload("ORD-1", Eur(4m), [], null, null), Now), Now);

        var copy = Serializer.Deserialize<CustomerProfile>(Serializer.SerializeToArray(profile))!;

        Assert.Equal([("EUR", 10m), ("USD", 7m)], copy.Transactions.SpendByCurrency.Select(p => (p.Key, p.Value)));
        Assert.Equal(1L, copy.Transactions.OrdersByCurrency["USD"]);
        Assert.Equal(10m, copy.Transactions.ByChannel[Channel.Store].SpendByCurrency["EUR"]);
        Assert.Equal("S-1", copy.Transactions.PreferredStoreId);
        Assert.Equal(4m, copy.Transactions.RefundedIn("EUR"));
        Assert.Equal(["tentes", "sacs", "lampes"], copy.Interests.Categories.Keys);
        Assert.Equal(profile.TopCategories(), copy.TopCategories());
        Assert.Equal(1, copy.Counters.Count(EventType.ProductView, CounterWindow.OneHour, Now));
    }

    [Fact]
    public void Reading_a_map_a_profile_has_not_needed_creates_nothing_and_the_shared_empty_map_refuses_changes()
    {
        var profile = NewProfile();
        var other = NewProfile();

        // What a lookup reads of a customer who never bought, browsed or was messaged: one shared empty map, not one each.
        Assert.Same(profile.Transactions.SpendByCurrency, other.Transactions.SpendByCurrency);
        Assert.Same(profile.Counters.ByType, other.Counters.ByType);
        Assert.Same(profile.Interests.Categories, other.Interests.Categories);
        Assert.Same(profile.MessagesSent, other.MessagesSent);
        Assert.Equal(0, profile.Counters.Count(EventType.Purchase, CounterWindow.Lifetime, Now));
        Assert.True(profile.CategoryAffinity.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => profile.CategoryAffinity["shoes"] = 1);

        profile.Apply(Purchase("p1", "ORD-1", Eur(10m), Now.AddHours(-1), Channel.Store, "S-1", Item("SKU-1", "tentes")), Now);

        Assert.Equal(10m, profile.Transactions.SpendByCurrency["EUR"]);
        Assert.Empty(other.Transactions.SpendByCurrency);
        Assert.False(profile.CategoryAffinity.IsReadOnly);
        Assert.True(profile.CategoryAffinity.ContainsKey("tentes"));
    }

    private static bool Added(CompactDictionary<string, int> map, string key, int value)
    {
        map.Add(key, value);
        return true;
    }
}
