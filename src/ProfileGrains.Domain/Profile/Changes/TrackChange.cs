namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CustomerChange.Track")]
public sealed record TrackChange(
    DateTimeOffset At,
    [property: Id(0)] TrackedEvent Event,
    [property: Id(1)] IReadOnlyList<CustomerIdentifier> Linked,
    [property: Id(2)] int AnonymousIdCap = 0,
    [property: Id(3)] TimelineLimits Timeline = default,
    [property: Id(4)] TimeSpan ConversionWindow = default) : CustomerChange(At);
