namespace ProfileGrains.Domain;

/// <summary>A category or a product, and when it was last bought and last viewed (UTC ticks; 0: never).</summary>
[GenerateSerializer, Alias("pg.ProductTouch")]
public struct ProductTouch
{
    [Id(0)] public long BoughtTicks;
    [Id(1)] public long ViewedTicks;
    [Id(2)] public string Key;
    [Id(3)] public bool IsCategory;

    public readonly long Latest => Math.Max(BoughtTicks, ViewedTicks);
}
