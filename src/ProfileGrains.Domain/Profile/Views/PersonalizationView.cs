namespace ProfileGrains.Domain;

/// <summary>What a website needs to personalise a page for this visitor, in one read.</summary>
[GenerateSerializer, Immutable, Alias("pg.PersonalizationView")]
public sealed record PersonalizationView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] IReadOnlyList<string> SegmentIds,
    [property: Id(2)] CustomerScores Scores,
    [property: Id(3)] IReadOnlyList<ScoredInterest> TopCategories,
    [property: Id(4)] IReadOnlyList<ScoredInterest> TopProducts,
    [property: Id(5)] IReadOnlyList<ConsentDecision> Consents)
{
    public const int TopCount = 10;

    public static PersonalizationView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring) => new(
        p.CustomerId,
        [.. p.SegmentIds],
        CustomerScoring.Compute(p, now, scoring),
        [.. RecentInterests.Top(p.Interests.Categories, now, TopCount).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))],
        [.. RecentInterests.Top(p.Interests.Products, now, TopCount).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))],
        [.. p.Traits.Consents]);
}
