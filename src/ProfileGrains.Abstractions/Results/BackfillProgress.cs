namespace ProfileGrains.Abstractions;

/// <summary>How far the evaluation of a segment version over every existing customer has gone.</summary>
[GenerateSerializer, Immutable, Alias("pg.BackfillProgress")]
public sealed record BackfillProgress(
    [property: Id(0)] long Version,
    [property: Id(1)] BackfillStatus Status,
    [property: Id(2)] long Scanned,
    [property: Id(3)] long Total,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt);
