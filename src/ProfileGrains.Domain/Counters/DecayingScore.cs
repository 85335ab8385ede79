namespace ProfileGrains.Domain;

/// <summary>A score that halves every <see cref="RecentInterests.HalfLife"/>: kept as its value at one instant.</summary>
[GenerateSerializer, Alias("pg.DecayingScore")]
public struct DecayingScore
{
    [Id(0)] public double Value;
    [Id(1)] public long AsOfTicks;

    public readonly double At(long ticks) =>
        Value * Math.Pow(0.5, (double)(ticks - AsOfTicks) / RecentInterests.HalfLife.Ticks);
}
