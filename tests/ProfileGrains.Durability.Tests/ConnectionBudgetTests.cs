using Npgsql;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// Every pool an engine opens is bounded by configuration, so a cluster fits a default PostgreSQL; a burst larger than
/// the pools waits for connections instead of failing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConnectionBudgetTests(SharedPostgres postgres)
{
    private const int ProviderConnections = 2;
    private const int JournalReadConnections = 1;

    [Fact]
    public async Task A_burst_larger_than_the_pools_waits_for_connections_and_never_exceeds_the_budget()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var engine = await DurableEngine.StartAsync(database, Unique("budget"),
            $"--ProfileGrains:Postgres:ProviderConnections={ProviderConnections}",
            $"--ProfileGrains:Postgres:JournalReadConnections={JournalReadConnections}");
        var peak = 0L;
        using var stop = new CancellationTokenSource();
        var watch = WatchConnections(database, value => peak = Math.Max(peak, value), stop.Token);

        var burst = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ =>
            engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Loyalty(), Email("burst") } }).ResponseAsync));
        await stop.CancelAsync();
        await watch;

        Assert.All(burst, response => Assert.True(response.Created));
        // The providers' pool, plus the journal's: two writers, one identity writer, one membership writer, one reader.
        Assert.InRange(peak, 1, ProviderConnections + 2 + 1 + 1 + JournalReadConnections);
    }

    /// <summary>Connections to the test's database other than this watcher's own, sampled until cancelled.</summary>
    private static async Task WatchConnections(string database, Action<long> sample, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        while (!stop.IsCancellationRequested)
        {
            sample((long)(await count.ExecuteScalarAsync(CancellationToken.None))!);
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
