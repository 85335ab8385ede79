namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.SegmentWakeupState")]
public sealed class SegmentWakeupState
{
    /// <summary>Customer → when to wake it (UTC ticks).</summary>
    [Id(0)] public Dictionary<string, long> DueAt { get; set; } = new(StringComparer.Ordinal);
}
