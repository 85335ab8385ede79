namespace ProfileGrains.Domain;

/// <summary>Frequency tallies with a cap on distinct keys: the least frequent key makes room for a new one.</summary>
public static class BoundedTally
{
    public static void Increment(CompactDictionary<string, int> tally, string key, int maxKeys, int by = 1)
    {
        if (tally.TryGetValue(key, out var count))
        {
            tally[key] = count + by;
            return;
        }

        if (tally.Count >= maxKeys)
        {
            var least = tally.MinBy(kv => kv.Value).Key;
            tally.Remove(least);
        }

        tally[SharedStrings.Share(key)] = by;
    }

    public static string[] Top(CompactDictionary<string, int> tally, int count)
    {
        var top = TopRanking.Of(tally, count, static value => value);
        var keys = new string[top.Length];
        for (var i = 0; i < top.Length; i++)
        {
            keys[i] = top[i].Key;
        }

        return keys;
    }
}
