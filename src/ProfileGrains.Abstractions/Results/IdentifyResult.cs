namespace ProfileGrains.Abstractions;

[GenerateSerializer, Immutable, Alias("pg.IdentifyResult")]
public sealed record IdentifyResult(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] bool Created,
    [property: Id(2)] IReadOnlyList<IdentifierConflict> Conflicts,
    [property: Id(3)] string? TraitsError,
    [property: Id(4)] IReadOnlyList<string> MergedCustomerIds);
