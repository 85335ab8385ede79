namespace ProfileGrains.Domain;

/// <summary>Whether a plan is active, as of its latest start or stop.</summary>
[GenerateSerializer, Immutable, Alias("pg.SubscriptionState")]
public readonly record struct SubscriptionState([property: Id(0)] bool Active, [property: Id(1)] long ChangedAtTicks);
