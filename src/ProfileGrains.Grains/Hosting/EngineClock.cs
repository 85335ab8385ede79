namespace ProfileGrains.Grains;

/// <summary>
/// The time the domain sees (event windows, recency). Separate from the TimeProvider Orleans itself runs on, so a
/// test can move business time without freezing grain timers and activation collection.
/// </summary>
public sealed class EngineClock(TimeProvider time)
{
    public static EngineClock System { get; } = new(TimeProvider.System);

    public DateTimeOffset GetUtcNow() => time.GetUtcNow();
}
