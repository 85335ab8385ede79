namespace ProfileGrains.Domain;

/// <summary>
/// What to suggest to a customer at the till or on a page, by category affinity: the category they have shown the
/// strongest recent interest in (views, carts, purchases, recency-weighted) without buying in it within their timeline —
/// or, when they bought in every one, their strongest interest. Null for a customer who showed none.
/// </summary>
public static class NextBestOffer
{
    private const int Candidates = 10;

    public static string? Category(CustomerProfile profile, DateTimeOffset now)
    {
        var interests = RecentInterests.Top(profile.Interests.Categories, now, Candidates);
        if (interests.Count == 0)
        {
            return null;
        }

        foreach (var (category, _) in interests)
        {
            if (!profile.Timeline.BoughtIn(category))
            {
                return category;
            }
        }

        return interests[0].Key;
    }
}
