namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.PageViewPayload")]
public sealed record PageViewPayload([property: Id(0)] string Path) : EventPayload;
