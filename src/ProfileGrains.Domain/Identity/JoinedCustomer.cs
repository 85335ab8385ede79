namespace ProfileGrains.Domain;

/// <summary>A customer an identifier's merge joined, and when.</summary>
[GenerateSerializer, Immutable, Alias("pg.JoinedCustomer")]
public sealed record JoinedCustomer([property: Id(0)] string CustomerId, [property: Id(1)] DateTimeOffset At);
