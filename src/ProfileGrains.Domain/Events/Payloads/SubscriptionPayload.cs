namespace ProfileGrains.Domain;

/// <summary>A plan or programme the customer joined or left, and why they left.</summary>
[GenerateSerializer, Immutable, Alias("pg.SubscriptionPayload")]
public sealed record SubscriptionPayload([property: Id(0)] string Plan, [property: Id(1)] string? Reason) : EventPayload;
