namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ChannelSpendView")]
public sealed record ChannelSpendView(
    [property: Id(0)] Channel Channel,
    [property: Id(1)] long OrderCount,
    [property: Id(2)] IReadOnlyList<Money> Spend);
