using ProfileGrains.Domain;

namespace ProfileGrains.Domain.Tests;

public sealed class CompactStorageTests
{
    [Fact]
    public void Equal_short_values_from_different_requests_are_kept_once()
    {
        var first = new string("EUR".AsSpan());
        var second = new string("EUR".AsSpan());

        Assert.NotSame(first, second);
        Assert.Same(SharedStrings.Share(first), SharedStrings.Share(second));
        var longValue = new string('x', SharedStrings.MaxLength + 1);
        Assert.Same(longValue, SharedStrings.Share(longValue));
    }

    [Fact]
    public void Profiles_of_different_customers_share_currency_store_and_category_strings()
    {
        var a = TestData.NewProfile("a");
        var b = TestData.NewProfile("b");
        a.Apply(Order("EUR", "STORE-1", "shoes"), TestData.Now);
        b.Apply(Order("EUR", "STORE-1", "shoes"), TestData.Now);

        Assert.Same(a.Transactions.SpendByCurrency.Keys.Single(), b.Transactions.SpendByCurrency.Keys.Single());
        Assert.Same(a.Transactions.OrdersByStore.Keys.Single(), b.Transactions.OrdersByStore.Keys.Single());
        Assert.Same(a.Transactions.LastPurchaseTotal!.Value.CurrencyCode, b.Transactions.LastPurchaseTotal!.Value.CurrencyCode);
        Assert.Same(a.CategoryAffinity.Keys.Single(), b.CategoryAffinity.Keys.Single());
        Assert.Same(a.Interests.Categories.Keys.Single(), b.Interests.Categories.Keys.Single());
    }

    [Fact]
    public void Small_lists_grow_one_slot_at_a_time_then_by_a_quarter()
    {
        var list = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            CompactLists.EnsureRoomForOne(list);
            list.Add(i);
            Assert.True(list.Capacity <= Math.Max(i + 1, (int)((i + 1) * 1.25) + 1), $"capacity {list.Capacity} for {i + 1} items");
        }

        Assert.Equal(Enumerable.Range(0, 20), list);
    }

    // Each string is built at run time, as a request's would be, so sharing is not the compiler's literal interning.
    private static TrackedEvent Order(string currency, string store, string category) =>
        TestData.Purchase(
            Guid.NewGuid().ToString("N"),
            Guid.NewGuid().ToString("N"),
            new Money(new string(currency.AsSpan()), 10m),
            TestData.Now.AddMinutes(-5),
            Channel.Store,
            new string(store.AsSpan()),
            TestData.Item("SKU-1", new string(category.AsSpan()), 1, new Money(new string(currency.AsSpan()), 10m)));
}
