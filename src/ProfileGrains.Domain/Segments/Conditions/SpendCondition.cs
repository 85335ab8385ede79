namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.SpendCondition")]
public sealed record SpendCondition(
    [property: Id(0)] string CurrencyCode,
    [property: Id(1)] Comparison Comparison,
    [property: Id(2)] decimal Amount) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        Compare(profile.Transactions.SpendByCurrency.GetValueOrDefault(CurrencyCode), Comparison, Amount);
}
