namespace ProfileGrains.Domain;

/// <summary>
/// What a website needs to personalise a page for this visitor, in one read. Without the customer's consent to
/// personalization (when the deployment requires it) only what is not personal comes back: no segments, scores or
/// interests, the consents themselves (so the page can ask), and why.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.PersonalizationView")]
public sealed record PersonalizationView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] IReadOnlyList<string> SegmentIds,
    [property: Id(2)] CustomerScores? Scores,
    [property: Id(3)] IReadOnlyList<ScoredInterest> TopCategories,
    [property: Id(4)] IReadOnlyList<ScoredInterest> TopProducts,
    [property: Id(5)] IReadOnlyList<ConsentDecision> Consents,
    [property: Id(6)] bool Personalized = true,
    [property: Id(7)] string? NotPersonalizedBecause = null,
    [property: Id(8)] CartView? Cart = null,
    [property: Id(9)] string? NextBestCategory = null)
{
    public const int TopCount = 10;

    public static PersonalizationView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring, bool consentRequired = false)
    {
        if (consentRequired && WhyNotPersonalized(p) is { } reason)
        {
            return new PersonalizationView(p.CustomerId, [], null, [], [], [.. p.Traits.Consents], Personalized: false, reason);
        }

        return new PersonalizationView(
            p.CustomerId,
            [.. p.SegmentIds],
            CustomerScoring.Compute(p, now, scoring),
            [.. RecentInterests.Top(p.Interests.Categories, now, TopCount).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))],
            [.. RecentInterests.Top(p.Interests.Products, now, TopCount).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))],
            [.. p.Traits.Consents],
            Cart: CartView.From(p.Cart),
            NextBestCategory: NextBestOffer.Category(p, now));
    }

    /// <summary>Null when the customer granted personalization (for every channel) and has not taken it back.</summary>
    public static string? WhyNotPersonalized(CustomerProfile p) => p.ConsentRecordFor(ContactChannel.All, ConsentPurpose.Personalization) switch
    {
        { Allows: true } => null,
        { Status: ConsentStatus.Withdrawn } => "the customer withdrew their consent to personalization",
        { Refuses: true } => "the customer refused personalization",
        _ => "the customer has not consented to personalization",
    };
}
