namespace ProfileGrains.Domain;

/// <summary>When a category or product was last bought and last viewed (UTC ticks; 0: never).</summary>
[GenerateSerializer, Alias("pg.ProductTouch")]
public struct ProductTouch
{
    [Id(0)] public long BoughtTicks;
    [Id(1)] public long ViewedTicks;

    public readonly long Latest => Math.Max(BoughtTicks, ViewedTicks);
}
