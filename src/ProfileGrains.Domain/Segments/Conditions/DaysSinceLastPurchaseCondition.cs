namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.DaysSinceLastPurchaseCondition")]
public sealed record DaysSinceLastPurchaseCondition([property: Id(0)] Comparison Comparison, [property: Id(1)] int Days) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        // A purchase up to the allowed clock skew ahead of this server is a purchase made today, not "-1 days" ago.
        profile.Transactions.LastPurchaseAt is { } last && Compare(Math.Max(0m, (decimal)Math.Floor((now - last).TotalDays)), Comparison, Days);
}
