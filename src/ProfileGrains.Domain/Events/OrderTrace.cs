namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.OrderTrace")]
public sealed record OrderTrace(
    [property: Id(0)] ulong EventDigest,
    [property: Id(1)] Channel Channel,
    [property: Id(2)] Money Total,
    [property: Id(3)] string? StoreId);
