namespace ProfileGrains.Domain;

[GenerateSerializer, Alias("pg.ChannelTotals")]
public sealed class ChannelTotals
{
    [Id(0)] public long OrderCount { get; set; }
    [Id(1)] public Dictionary<string, decimal> SpendByCurrency { get; private set; } = [];
}
