using System.Globalization;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// The engine reports its own group commits (GetServerStats, and /metrics in buckets of milliseconds), so a load test
/// can give the commit latency distribution of a phase, not only what callers waited.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CommitFiguresTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Each_acknowledged_write_is_counted_in_a_journal_commit_with_its_latency_bucket()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var engine = await DurableEngine.StartAsync(database, Unique("commits"));
        var email = Email("committed");
        await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });
        var before = Journal(await engine.Diagnostics.GetServerStatsAsync(new ServerStatsRequest()));

        for (var i = 0; i < 5; i++)
        {
            await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email) });
        }

        var after = Journal(await engine.Diagnostics.GetServerStatsAsync(new ServerStatsRequest()));

        // Each Track is acknowledged once its journal row is committed, one at a time here: a commit each at least.
        Assert.True(after.Writes - before.Writes >= 5, $"journal writes {before.Writes} -> {after.Writes}");
        Assert.InRange(after.Commits - before.Commits, 1, after.Writes - before.Writes);
        Assert.Equal(after.Commits, after.BucketCounts.Sum());
        Assert.True(after.CommitMsTotal > before.CommitMsTotal);
        Assert.Equal(after.BucketUpperMs.Count, after.BucketCounts.Count);
        Assert.Equal(double.PositiveInfinity, after.BucketUpperMs[^1]);
        Assert.Equal(after.BucketUpperMs.Order(), after.BucketUpperMs);
    }

    [Fact]
    public async Task The_prometheus_histogram_of_commit_durations_has_buckets_of_milliseconds()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var engine = await DurableEngine.StartAsync(database, Unique("commit-metrics"));
        await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("scraped") } });
        using var http = new HttpClient { BaseAddress = engine.WebAddress };

        string metrics = string.Empty;
        Assert.True(await Eventually(async () =>
        {
            metrics = await http.GetStringAsync("/metrics");
            return metrics.Contains("profilegrains_storage_commit_duration_seconds_count{", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10)), "no commit duration in /metrics");

        // A commit takes milliseconds: buckets below a second, not the default 0, 5, 10 ... seconds.
        var bounds = metrics.Split('\n')
            .Where(l => l.StartsWith("profilegrains_storage_commit_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("store=\"journal\"", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..])
            .Select(l => l[..l.IndexOf('"', StringComparison.Ordinal)])
            .Where(le => le != "+Inf")
            .Select(le => double.Parse(le, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Contains(0.001, bounds);
        Assert.Contains(0.01, bounds);
        Assert.True(bounds.Count(b => b < 1) >= 8, "bounds: " + string.Join(", ", bounds));
    }

    private static StorageCommits Journal(ServerStats stats) =>
        stats.StorageCommits.SingleOrDefault(c => c.Store == "journal") ?? new StorageCommits();
}
