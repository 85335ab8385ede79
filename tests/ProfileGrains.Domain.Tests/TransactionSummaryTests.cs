using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class TransactionSummaryTests
{
    private static PurchasePayload Order(string orderId, Money total, string? storeId = null) => new(orderId, total, [], storeId);

    [Fact]
    public void NoPurchases_EmptySummary()
    {
        var summary = new TransactionSummary();
        Assert.Null(summary.FirstPurchaseAt);
        Assert.Null(summary.LastPurchaseAt);
        Assert.Null(summary.LastPurchaseTotal);
        Assert.Equal(0, summary.OrderCount);
        Assert.Empty(summary.AverageBasket());
        Assert.Null(summary.PreferredStoreId);
    }

    [Fact]
    public void OutOfOrderPurchases_FirstAndLastFollowOccurrence_NotArrival()
    {
        var summary = new TransactionSummary();
        summary.Record(Order("A", Eur(100)), Channel.Web, Now);
        summary.Record(Order("B", Eur(50)), Channel.Web, Now.AddDays(-5)); // arrives late
        summary.Record(Order("C", Eur(70)), Channel.Web, Now.AddDays(-1));

        Assert.Equal(Now.AddDays(-5), summary.FirstPurchaseAt);
        Assert.Equal(Now, summary.LastPurchaseAt);
        Assert.Equal(Eur(100), summary.LastPurchaseTotal);

        summary.Record(Order("D", Gbp(20)), Channel.App, Now.AddHours(1));
        Assert.Equal(Now.AddHours(1), summary.LastPurchaseAt);
        Assert.Equal(Gbp(20), summary.LastPurchaseTotal);
        Assert.Equal(Now.AddDays(-5), summary.FirstPurchaseAt);
    }

    [Fact]
    public void OrderCountSpendAndAverageBasket_ArePerCurrency()
    {
        var summary = new TransactionSummary();
        summary.Record(Order("A", Eur(100)), Channel.Web, Now);
        summary.Record(Order("B", Eur(50)), Channel.Web, Now);
        summary.Record(Order("C", Eur(0.01m)), Channel.Store, Now);
        summary.Record(Order("D", Gbp(20)), Channel.App, Now);

        Assert.Equal(4, summary.OrderCount);
        Assert.Equal(150.01m, summary.SpendByCurrency["EUR"]);
        Assert.Equal(20m, summary.SpendByCurrency["GBP"]);
        Assert.Equal(3, summary.OrdersByCurrency["EUR"]);
        Assert.Equal(1, summary.OrdersByCurrency["GBP"]);

        var average = summary.AverageBasket().ToDictionary(m => m.CurrencyCode, m => m.Amount);
        Assert.Equal(50.00m, average["EUR"]); // 150.01 / 3 rounded to cents
        Assert.Equal(20m, average["GBP"]);
        Assert.Equal(2, average.Count);
    }

    [Fact]
    public void AverageBasket_RoundsToCents()
    {
        var summary = new TransactionSummary();
        summary.Record(Order("A", Eur(100)), Channel.Web, Now);
        summary.Record(Order("B", Eur(0)), Channel.Web, Now);
        summary.Record(Order("C", Eur(0)), Channel.Web, Now);
        Assert.Equal(33.33m, Assert.Single(summary.AverageBasket()).Amount);
    }

    [Fact]
    public void ByChannel_TotalsOrdersAndSpendPerChannelAndCurrency()
    {
        var summary = new TransactionSummary();
        summary.Record(Order("A", Eur(100)), Channel.Web, Now);
        summary.Record(Order("B", Eur(50)), Channel.Web, Now);
        summary.Record(Order("C", Eur(70), "S1"), Channel.Store, Now);
        summary.Record(Order("D", Gbp(20)), Channel.Web, Now);

        Assert.Equal(2, summary.ByChannel.Count);
        Assert.Equal(3, summary.ByChannel[Channel.Web].OrderCount);
        Assert.Equal(150m, summary.ByChannel[Channel.Web].SpendByCurrency["EUR"]);
        Assert.Equal(20m, summary.ByChannel[Channel.Web].SpendByCurrency["GBP"]);
        Assert.Equal(1, summary.ByChannel[Channel.Store].OrderCount);
        Assert.Equal(70m, Assert.Single(summary.ByChannel[Channel.Store].SpendByCurrency).Value);
    }

    [Fact]
    public void PreferredStore_IsTheStoreWithMostOrders_TiesByOrdinalId()
    {
        var summary = new TransactionSummary();
        summary.Record(Order("A", Eur(1), "S2"), Channel.Store, Now);
        summary.Record(Order("B", Eur(1), "S1"), Channel.Store, Now);
        Assert.Equal("S1", summary.PreferredStoreId);

        summary.Record(Order("C", Eur(1), "S2"), Channel.Store, Now);
        summary.Record(Order("D", Eur(1)), Channel.Web, Now);
        Assert.Equal("S2", summary.PreferredStoreId);
        Assert.Equal(2, summary.OrdersByStore["S2"]);
    }

    [Fact]
    public void TrackedStores_AreBounded()
    {
        var summary = new TransactionSummary();
        summary.Record(Order("fav-1", Eur(1), "FAVOURITE"), Channel.Store, Now);
        summary.Record(Order("fav-2", Eur(1), "FAVOURITE"), Channel.Store, Now);
        for (var i = 0; i < Limits.MaxTrackedStores * 3; i++)
        {
            summary.Record(Order("o" + i, Eur(1), "S" + i), Channel.Store, Now);
        }

        Assert.Equal(Limits.MaxTrackedStores, summary.OrdersByStore.Count);
        Assert.Equal("FAVOURITE", summary.PreferredStoreId);
    }

    [Fact]
    public void BoundedTally_EvictsTheLeastFrequentKeyForANewOne()
    {
        var tally = new CompactDictionary<string, int>();
        BoundedTally.Increment(tally, "a", maxKeys: 2, by: 5);
        BoundedTally.Increment(tally, "b", maxKeys: 2);
        BoundedTally.Increment(tally, "a", maxKeys: 2);
        BoundedTally.Increment(tally, "c", maxKeys: 2, by: 2);

        Assert.Equal(new Dictionary<string, int> { ["a"] = 6, ["c"] = 2 }, tally.ToDictionary());
        Assert.Equal(["a", "c"], BoundedTally.Top(tally, 5));
    }

    [Fact]
    public void ThroughTheProfile_MixedPurchases_AreSummarised()
    {
        var profile = NewProfile();
        profile.Apply(Purchase("e1", "O1", Eur(120), Now.AddDays(-3), Channel.Store, "PARIS-1"), Now);
        profile.Apply(Purchase("e2", "O2", Eur(80), Now.AddDays(-10), Channel.Web), Now);
        profile.Apply(Purchase("e3", "O3", Eur(40), Now.AddDays(-1), Channel.Store, "PARIS-1"), Now);
        profile.Apply(Purchase("e4", "O4", Eur(40), Now.AddDays(-2), Channel.Store, "LYON-1"), Now);

        var t = profile.Transactions;
        Assert.Equal(4, t.OrderCount);
        Assert.Equal(Now.AddDays(-10), t.FirstPurchaseAt);
        Assert.Equal(Now.AddDays(-1), t.LastPurchaseAt);
        Assert.Equal(Eur(40), t.LastPurchaseTotal);
        Assert.Equal(280m, t.SpendByCurrency["EUR"]);
        Assert.Equal(70m, Assert.Single(t.AverageBasket()).Amount);
        Assert.Equal(3, t.ByChannel[Channel.Store].OrderCount);
        Assert.Equal(200m, t.ByChannel[Channel.Store].SpendByCurrency["EUR"]);
        Assert.Equal("PARIS-1", t.PreferredStoreId);
    }
}
