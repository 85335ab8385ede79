namespace ProfileGrains.Domain;

/// <summary>What the customer said of the brand: their latest satisfaction score (the NPS question) and their reviews.</summary>
[GenerateSerializer, Alias("pg.CustomerFeedback")]
public sealed class CustomerFeedback
{
    [Id(0)] public int? LastSatisfaction { get; private set; }
    [Id(1)] public long LastSatisfactionTicks { get; private set; }
    [Id(2)] public int Reviews { get; private set; }
    [Id(3)] public long RatingSum { get; private set; }

    /// <summary>Rated reviews: suggestions carry no rating and do not weigh on the average.</summary>
    [Id(4)] public int RatedReviews { get; private set; }

    /// <summary>Promoter (9-10), passive (7-8) or detractor (0-6), as the Net Promoter Score groups answers; null before any.</summary>
    public string? NpsGroup => LastSatisfaction switch
    {
        null => null,
        >= 9 => "promoter",
        >= 7 => "passive",
        _ => "detractor",
    };

    public decimal? AverageRating => RatedReviews == 0 ? null : Math.Round((decimal)RatingSum / RatedReviews, 2);

    public void Satisfaction(int score, long ticks)
    {
        // Answers can arrive out of order: the latest answer is the latest given, not the latest received.
        if (LastSatisfaction is null || ticks >= LastSatisfactionTicks)
        {
            LastSatisfaction = score;
            LastSatisfactionTicks = ticks;
        }
    }

    public void Review(int rating)
    {
        Reviews++;
        if (rating > 0)
        {
            RatingSum += rating;
            RatedReviews++;
        }
    }

    public void Absorb(CustomerFeedback other)
    {
        if (other.LastSatisfaction is { } score)
        {
            Satisfaction(score, other.LastSatisfactionTicks);
        }

        Reviews += other.Reviews;
        RatingSum += other.RatingSum;
        RatedReviews += other.RatedReviews;
    }
}
