namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.OrderCountCondition")]
public sealed record OrderCountCondition([property: Id(0)] Comparison Comparison, [property: Id(1)] long Value) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        Compare(profile.Transactions.OrderCount, Comparison, Value);
}
