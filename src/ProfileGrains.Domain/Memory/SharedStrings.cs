using System.Collections.Concurrent;

namespace ProfileGrains.Domain;

/// <summary>
/// One instance per distinct short value (currency, store, category, SKU) shared by every profile that keeps it, instead
/// of a copy per customer from each request: a million customers who shop in euros hold one "EUR". Bounded, so hostile
/// input cannot grow it without limit: once full, or for long values, strings are kept as they come.
/// </summary>
public static class SharedStrings
{
    public const int MaxEntries = 200_000;
    public const int MaxLength = 64;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        if (Pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return Pool.Count < MaxEntries ? Pool.GetOrAdd(value, value) : value;
    }

    public static Money Share(Money money)
    {
        var code = Share(money.CurrencyCode);
        return ReferenceEquals(code, money.CurrencyCode) ? money : money with { CurrencyCode = code };
    }
}
