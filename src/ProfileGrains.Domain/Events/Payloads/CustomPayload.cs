namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.CustomPayload")]
public sealed record CustomPayload(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyDictionary<string, string> Properties) : EventPayload;
