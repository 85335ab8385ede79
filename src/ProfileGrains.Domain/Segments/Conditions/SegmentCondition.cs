namespace ProfileGrains.Domain;

/// <summary>One test over a profile. A segment's rule holds when all its conditions hold.</summary>
[GenerateSerializer, Immutable, Alias("pg.SegmentCondition")]
public abstract record SegmentCondition
{
    public abstract bool Holds(CustomerProfile profile, DateTimeOffset now);

    protected static bool Compare(decimal actual, Comparison comparison, decimal expected) => comparison switch
    {
        Comparison.Equal => actual == expected,
        Comparison.NotEqual => actual != expected,
        Comparison.Greater => actual > expected,
        Comparison.GreaterOrEqual => actual >= expected,
        Comparison.Less => actual < expected,
        Comparison.LessOrEqual => actual <= expected,
        _ => false,
    };
}
