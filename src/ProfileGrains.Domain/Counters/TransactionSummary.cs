namespace ProfileGrains.Domain;

/// <summary>What the customer bought, summarised. No currency conversion: amounts stay per currency.</summary>
[GenerateSerializer, Alias("pg.TransactionSummary")]
public sealed class TransactionSummary
{
    [Id(0)] public DateTimeOffset? FirstPurchaseAt { get; private set; }
    [Id(1)] public DateTimeOffset? LastPurchaseAt { get; private set; }
    [Id(2)] public Money? LastPurchaseTotal { get; private set; }
    [Id(3)] public long OrderCount { get; private set; }
    // Written as dictionaries by earlier builds; each moves into its compact map on first use.
    [Id(4)] private Dictionary<string, decimal>? _legacySpendByCurrency;
    [Id(5)] private Dictionary<string, long>? _legacyOrdersByCurrency;
    [Id(6)] private Dictionary<Channel, ChannelTotals>? _legacyByChannel;
    [Id(7)] private Dictionary<string, int>? _legacyOrdersByStore;
    [Id(9)] private Dictionary<string, decimal>? _legacyRefundByCurrency;

    [Id(10)] private CompactDictionary<string, decimal>? _spendByCurrency;
    [Id(11)] private CompactDictionary<string, long>? _ordersByCurrency;
    [Id(12)] private CompactDictionary<Channel, ChannelTotals>? _byChannel;
    [Id(13)] private CompactDictionary<string, int>? _ordersByStore;
    [Id(14)] private CompactDictionary<string, decimal>? _refundByCurrency;

    public CompactDictionary<string, decimal> SpendByCurrency => CompactDictionary.Read(ref _spendByCurrency, ref _legacySpendByCurrency);

    public CompactDictionary<string, long> OrdersByCurrency => CompactDictionary.Read(ref _ordersByCurrency, ref _legacyOrdersByCurrency);

    public CompactDictionary<Channel, ChannelTotals> ByChannel => CompactDictionary.Read(ref _byChannel, ref _legacyByChannel);

    public CompactDictionary<string, int> OrdersByStore => CompactDictionary.Read(ref _ordersByStore, ref _legacyOrdersByStore);

    private CompactDictionary<string, decimal> SpendToChange => CompactDictionary.Write(ref _spendByCurrency, ref _legacySpendByCurrency);

    private CompactDictionary<string, long> OrdersToChange => CompactDictionary.Write(ref _ordersByCurrency, ref _legacyOrdersByCurrency);

    private CompactDictionary<Channel, ChannelTotals> ChannelsToChange => CompactDictionary.Write(ref _byChannel, ref _legacyByChannel);

    private CompactDictionary<string, int> StoresToChange => CompactDictionary.Write(ref _ordersByStore, ref _legacyOrdersByStore);

    /// <summary>Returns, and what they refunded per currency (null until the first return: most customers never return).</summary>
    [Id(8)] public long ReturnCount { get; private set; }

    public CompactDictionary<string, decimal>? RefundByCurrency =>
        _refundByCurrency ?? (_legacyRefundByCurrency is null ? null : CompactDictionary.Write(ref _refundByCurrency, ref _legacyRefundByCurrency));

    public void RecordReturn(Money refund)
    {
        ReturnCount++;
        var refunds = RefundByCurrency ?? (_refundByCurrency = []);
        var currency = SharedStrings.Share(refund.CurrencyCode);
        refunds[currency] = refunds.GetValueOrDefault(currency) + refund.Amount;
    }

    /// <summary>Takes back a return counted on both records of a merge.</summary>
    public void RemoveReturn(Money refund)
    {
        ReturnCount = Math.Max(0, ReturnCount - 1);
        if (RefundByCurrency is not null)
        {
            RefundByCurrency[refund.CurrencyCode] = RefundByCurrency.GetValueOrDefault(refund.CurrencyCode) - refund.Amount;
        }
    }

    public decimal RefundedIn(string currency) => RefundByCurrency?.GetValueOrDefault(currency) ?? 0m;

    public void Record(PurchasePayload purchase, Channel channel, DateTimeOffset occurredAt)
    {
        OrderCount++;
        if (FirstPurchaseAt is null || occurredAt < FirstPurchaseAt)
        {
            FirstPurchaseAt = occurredAt;
        }

        // Purchases can arrive out of order: the last purchase is the latest by occurrence, not by arrival.
        if (LastPurchaseAt is null || occurredAt >= LastPurchaseAt)
        {
            LastPurchaseAt = occurredAt;
            LastPurchaseTotal = SharedStrings.Share(purchase.Total);
        }

        var currency = SharedStrings.Share(purchase.Total.CurrencyCode);
        SpendToChange[currency] = SpendByCurrency.GetValueOrDefault(currency) + purchase.Total.Amount;
        OrdersToChange[currency] = OrdersByCurrency.GetValueOrDefault(currency) + 1;

        if (!ByChannel.TryGetValue(channel, out var totals))
        {
            totals = new ChannelTotals();
            ChannelsToChange[channel] = totals;
        }

        totals.OrderCount++;
        totals.AddSpend(currency, purchase.Total.Amount);

        if (purchase.StoreId is { } store)
        {
            BoundedTally.Increment(StoresToChange, store, Limits.MaxTrackedStores);
        }
    }

    /// <summary>Takes back one order counted by <see cref="Record"/> (an order found counted twice when profiles merge).</summary>
    public void Remove(OrderTrace order)
    {
        var currency = order.Total.CurrencyCode;
        OrderCount = Math.Max(0, OrderCount - 1);
        SpendToChange[currency] = SpendByCurrency.GetValueOrDefault(currency) - order.Total.Amount;
        OrdersToChange[currency] = Math.Max(0, OrdersByCurrency.GetValueOrDefault(currency) - 1);
        if (ByChannel.TryGetValue(order.Channel, out var totals))
        {
            totals.OrderCount = Math.Max(0, totals.OrderCount - 1);
            totals.AddSpend(currency, -order.Total.Amount);
        }

        if (order.StoreId is { } store && OrdersByStore.TryGetValue(store, out var count))
        {
            if (count <= 1)
            {
                StoresToChange.Remove(store);
            }
            else
            {
                StoresToChange[store] = count - 1;
            }
        }
    }

    /// <summary>Adds another summary (two records of one customer combined).</summary>
    public void Absorb(TransactionSummary other)
    {
        OrderCount += other.OrderCount;
        if (other.FirstPurchaseAt is { } first && (FirstPurchaseAt is null || first < FirstPurchaseAt))
        {
            FirstPurchaseAt = first;
        }

        if (other.LastPurchaseAt is { } last && (LastPurchaseAt is null || last > LastPurchaseAt))
        {
            LastPurchaseAt = last;
            LastPurchaseTotal = other.LastPurchaseTotal;
        }

        foreach (var (currency, amount) in other.SpendByCurrency)
        {
            SpendToChange[currency] = SpendByCurrency.GetValueOrDefault(currency) + amount;
        }

        foreach (var (currency, orders) in other.OrdersByCurrency)
        {
            OrdersToChange[currency] = OrdersByCurrency.GetValueOrDefault(currency) + orders;
        }

        foreach (var (channel, theirs) in other.ByChannel)
        {
            if (!ByChannel.TryGetValue(channel, out var mine))
            {
                mine = new ChannelTotals();
                ChannelsToChange[channel] = mine;
            }

            mine.OrderCount += theirs.OrderCount;
            foreach (var (currency, amount) in theirs.SpendByCurrency)
            {
                mine.AddSpend(currency, amount);
            }
        }

        foreach (var (store, orders) in other.OrdersByStore)
        {
            BoundedTally.Increment(StoresToChange, store, Limits.MaxTrackedStores, orders);
        }

        ReturnCount += other.ReturnCount;
        foreach (var (currency, amount) in other.RefundByCurrency ?? new CompactDictionary<string, decimal>())
        {
            var refunds = RefundByCurrency ?? (_refundByCurrency = []);
            refunds[currency] = refunds.GetValueOrDefault(currency) + amount;
        }
    }

    public IEnumerable<Money> AverageBasket() =>
        SpendByCurrency.Select(kv => new Money(kv.Key, Math.Round(kv.Value / Math.Max(1, OrdersByCurrency.GetValueOrDefault(kv.Key)), 2)));

    public string? PreferredStoreId => BoundedTally.Top(OrdersByStore, 1).FirstOrDefault();
}
