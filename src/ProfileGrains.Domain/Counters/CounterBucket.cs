namespace ProfileGrains.Domain;

[GenerateSerializer, Alias("pg.CounterBucket")]
public struct CounterBucket
{
    /// <summary>Bucket number since the Unix epoch at its tier's resolution.</summary>
    [Id(0)] public long Index;
    [Id(1)] public int Count;
}
