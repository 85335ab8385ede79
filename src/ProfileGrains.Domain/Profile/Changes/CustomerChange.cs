namespace ProfileGrains.Domain;

/// <summary>
/// One acknowledged change to a customer, as the durable journal keeps it. Replaying a profile's changes in order,
/// each at the instant it was first applied, rebuilds exactly the profile that answered the caller: every rule the
/// change follows is a pure function of the profile, the change and that instant.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerChange")]
public abstract record CustomerChange([property: Id(0)] DateTimeOffset At);
