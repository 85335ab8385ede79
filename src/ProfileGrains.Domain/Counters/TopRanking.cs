namespace ProfileGrains.Domain;

/// <summary>
/// The highest-scored keys of a small map, best first, ties by key (ordinal): what the till and the website read on
/// every call, so it is one pass over the map into an array of at most <c>count</c> entries, without sorting the map.
/// </summary>
public static class TopRanking
{
    public static (string Key, double Score)[] Of<TValue>(CompactDictionary<string, TValue> map, int count, Func<TValue, double> score)
    {
        if (count <= 0 || map.Count == 0)
        {
            return [];
        }

        var top = new (string Key, double Score)[Math.Min(count, map.Count)];
        var filled = 0;
        foreach (var (key, value) in map)
        {
            var candidate = (key, score(value));
            var at = filled;
            while (at > 0 && Ranks(candidate, top[at - 1]))
            {
                at--;
            }

            if (at >= top.Length)
            {
                continue;
            }

            var last = Math.Min(filled, top.Length - 1);
            Array.Copy(top, at, top, at + 1, last - at);
            top[at] = candidate;
            filled = Math.Min(filled + 1, top.Length);
        }

        return top;
    }

    // CompareTo, as a sort by score would: NaN ranks last, and equal scores fall back to the key.
    private static bool Ranks((string Key, double Score) a, (string Key, double Score) b)
    {
        var byScore = a.Score.CompareTo(b.Score);
        return byScore > 0 || (byScore == 0 && string.CompareOrdinal(a.Key, b.Key) < 0);
    }
}
