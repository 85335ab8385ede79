namespace ProfileGrains.Domain;

/// <summary>
/// A page of a customer's timeline: newest first, strictly before the entry (<see cref="BeforeTicks"/>,
/// <see cref="BeforeEventId"/>) that ended the previous page (none: from the newest), of the given types and channels
/// (empty: any).
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.TimelineQuery")]
public sealed record TimelineQuery(
    [property: Id(0)] IReadOnlySet<EventType> Types,
    [property: Id(1)] IReadOnlySet<Channel> Channels,
    [property: Id(2)] long? BeforeTicks,
    [property: Id(3)] string? BeforeEventId,
    [property: Id(4)] int Max);

/// <summary>A page of a timeline, and whether older matching entries remain.</summary>
[GenerateSerializer, Immutable, Alias("pg.TimelinePage")]
public sealed record TimelinePage(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] IReadOnlyList<TimelineEntry> Entries,
    [property: Id(2)] bool More);
