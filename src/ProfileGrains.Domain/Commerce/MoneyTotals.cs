namespace ProfileGrains.Domain;

/// <summary>Amounts kept per currency, as the views list them: one <see cref="Money"/> per currency, by currency code (ordinal).</summary>
public static class MoneyTotals
{
    public static Money[] InCurrencyOrder(CompactDictionary<string, decimal> amounts)
    {
        var totals = new Money[amounts.Count];
        var filled = 0;
        foreach (var (currency, amount) in amounts)
        {
            var at = filled;
            while (at > 0 && string.CompareOrdinal(currency, totals[at - 1].CurrencyCode) < 0)
            {
                totals[at] = totals[at - 1];
                at--;
            }

            totals[at] = new Money(currency, amount);
            filled++;
        }

        return totals;
    }
}
