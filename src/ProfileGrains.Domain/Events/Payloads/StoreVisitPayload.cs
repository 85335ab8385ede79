namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.StoreVisitPayload")]
public sealed record StoreVisitPayload([property: Id(0)] string StoreId) : EventPayload;
