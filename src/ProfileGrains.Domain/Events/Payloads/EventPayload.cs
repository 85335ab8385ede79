namespace ProfileGrains.Domain;

/// <summary>What happened, by event type. Exactly one payload type matches each <see cref="EventType"/>.</summary>
[GenerateSerializer, Immutable, Alias("pg.EventPayload")]
public abstract record EventPayload;
