namespace ProfileGrains.Domain;

/// <summary>One merge in a profile's history: which record was absorbed, when, why, and by which rule.</summary>
[GenerateSerializer, Immutable, Alias("pg.MergeRecord")]
public sealed record MergeRecord(
    [property: Id(0)] string MergeId,
    [property: Id(1)] string AbsorbedCustomerId,
    [property: Id(2)] DateTimeOffset MergedAt,
    [property: Id(3)] CustomerIdentifier? Trigger,
    [property: Id(4)] string Rule);
