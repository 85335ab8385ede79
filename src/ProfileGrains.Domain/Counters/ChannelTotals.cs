namespace ProfileGrains.Domain;

[GenerateSerializer, Alias("pg.ChannelTotals")]
public sealed class ChannelTotals
{
    [Id(0)] public long OrderCount { get; set; }

    // Written as a dictionary by earlier builds; moves into the compact map on first use.
    [Id(1)] private Dictionary<string, decimal>? _legacySpendByCurrency;
    [Id(2)] private CompactDictionary<string, decimal>? _spendByCurrency;

    public CompactDictionary<string, decimal> SpendByCurrency => CompactDictionary.Read(ref _spendByCurrency, ref _legacySpendByCurrency);

    public void AddSpend(string currency, decimal amount)
    {
        var spend = CompactDictionary.Write(ref _spendByCurrency, ref _legacySpendByCurrency);
        spend[currency] = spend.GetValueOrDefault(currency) + amount;
    }
}
