namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ConsentCondition")]
public sealed record ConsentCondition([property: Id(0)] ContactChannel Channel, [property: Id(1)] ConsentStatus Status) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) => profile.ConsentFor(Channel) == Status;
}
