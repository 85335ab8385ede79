namespace ProfileGrains.Domain;

/// <summary>
/// How fast a running total grows, from its readings over the last <see cref="Window"/>: (last − first) / elapsed.
/// A total that goes down (a counter restarted) starts the measure again rather than report negative growth.
/// </summary>
public sealed class CountRate(TimeSpan window)
{
    private readonly Queue<(DateTimeOffset At, long Total)> _readings = new();
    private (DateTimeOffset At, long Total)? _last;

    public TimeSpan Window { get; } = window;

    public void Record(DateTimeOffset at, long total)
    {
        if (_last is { } last && (total < last.Total || at < last.At))
        {
            Reset();
        }

        _readings.Enqueue((at, total));
        _last = (at, total);
        while (_readings.Count > 2 && at - _readings.Peek().At > Window)
        {
            _readings.Dequeue();
        }
    }

    /// <summary>The readings so far no longer add up to one total (a source of it came or went).</summary>
    public void Reset()
    {
        _readings.Clear();
        _last = null;
    }

    /// <summary>Growth per second between the oldest reading kept and the latest; 0 until two readings are apart in time.</summary>
    public double PerSecond
    {
        get
        {
            if (_readings.Count < 2 || _last is not { } last)
            {
                return 0;
            }

            var first = _readings.Peek();
            var seconds = (last.At - first.At).TotalSeconds;
            return seconds > 0 ? (last.Total - first.Total) / seconds : 0;
        }
    }
}
