using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>
/// One store's group commits during a phase, from the engines' own histograms read before and after it: how many, how
/// many writes each carried, and how long they took (percentiles interpolated within the histogram's buckets).
/// </summary>
public sealed record CommitPhase(string Store, long Commits, long Writes, double MeanMs, double P50Ms, double P99Ms, double P999Ms)
{
    public double WritesPerCommit => Commits > 0 ? (double)Writes / Commits : 0;

    /// <summary>Per store, the commits between the two readings; every silo's added up. Stores without a commit in the phase are left out.</summary>
    public static List<CommitPhase> Between(IReadOnlyList<StorageCommits> before, IReadOnlyList<StorageCommits> after)
    {
        var phases = new List<CommitPhase>();
        foreach (var store in after.Select(c => c.Store).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var bounds = after.First(c => c.Store == store).BucketUpperMs.ToArray();
            var counts = new long[bounds.Length];
            long commits = 0, writes = 0;
            double totalMs = 0;
            foreach (var (reading, sign) in after.Where(c => c.Store == store).Select(c => (c, 1)).Concat(before.Where(c => c.Store == store).Select(c => (c, -1))))
            {
                commits += sign * reading.Commits;
                writes += sign * reading.Writes;
                totalMs += sign * reading.CommitMsTotal;
                for (var i = 0; i < Math.Min(counts.Length, reading.BucketCounts.Count); i++)
                {
                    counts[i] += sign * reading.BucketCounts[i];
                }
            }

            if (commits > 0)
            {
                phases.Add(new CommitPhase(store, commits, writes, totalMs / commits, Quantile(bounds, counts, 0.5), Quantile(bounds, counts, 0.99), Quantile(bounds, counts, 0.999)));
            }
        }

        return phases;
    }

    /// <summary>
    /// The q-quantile, assuming commits spread evenly within their bucket; in the open-ended last bucket, its lower
    /// bound (the figure is then "at least").
    /// </summary>
    public static double Quantile(IReadOnlyList<double> upperBounds, IReadOnlyList<long> counts, double q)
    {
        var total = counts.Sum();
        if (total <= 0)
        {
            return 0;
        }

        var rank = q * total;
        long below = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] > 0 && below + counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : upperBounds[i - 1];
                var upper = upperBounds[i];
                return double.IsFinite(upper) ? lower + ((upper - lower) * (rank - below) / counts[i]) : lower;
            }

            below += counts[i];
        }

        return upperBounds[^2];
    }
}
