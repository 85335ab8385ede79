namespace ProfileGrains.Grains;

/// <summary>
/// How long this silo's group commits took, per store, counted since the silo started: commits, writes, and a latency
/// histogram over fixed bounds. A load test reads it before and after a phase and takes the difference, so the commit
/// latency distribution is measured by the engine itself, not inferred from the callers' latency.
/// </summary>
public sealed class CommitLatencies
{
    /// <summary>Upper bounds of the buckets, in milliseconds; the last bucket takes everything slower.</summary>
    public static readonly double[] BucketUpperMs = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, double.PositiveInfinity];

    private readonly long[] _buckets = new long[BucketUpperMs.Length];
    private long _commits;
    private long _writes;
    private long _totalMicroseconds;

    public void Record(int writes, TimeSpan took)
    {
        var ms = took.TotalMilliseconds;
        var bucket = 0;
        while (ms > BucketUpperMs[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, writes);
        Interlocked.Add(ref _totalMicroseconds, (long)(took.Ticks / TimeSpan.TicksPerMicrosecond));
    }

    public CommitTotals Totals()
    {
        var counts = new long[_buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
        }

        return new CommitTotals(Interlocked.Read(ref _commits), Interlocked.Read(ref _writes), Interlocked.Read(ref _totalMicroseconds) / 1000.0, counts);
    }
}

/// <summary>A store's group commits since the silo started: <see cref="BucketCounts"/> per <see cref="CommitLatencies.BucketUpperMs"/>.</summary>
public sealed record CommitTotals(long Commits, long Writes, double TotalMs, IReadOnlyList<long> BucketCounts);
