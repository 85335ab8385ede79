using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Grains;
using ProfileGrains.Storage;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// A multi-silo cluster on PostgreSQL loses a silo without warning: the cluster keeps answering, and every change
/// the lost silo acknowledged comes back from the journal, though it never wrote a snapshot.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloFailureTests(SharedPostgres postgres)
{
    private const string ConnectionStringKey = "ProfileGrainsTests:Postgres";

    [Fact]
    public async Task Killing_a_silo_loses_nothing_it_acknowledged()
    {
        var database = await postgres.NewDatabaseAsync();
        await PostgresSchema.ApplyAsync(database);
        var builder = new TestClusterBuilder(3);
        builder.Options.ServiceId = "silo-failure-" + Guid.NewGuid().ToString("N")[..8];
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?> { [ConnectionStringKey] = database }));
        builder.AddSiloBuilderConfigurator<DurableSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var now = DateTimeOffset.UtcNow;
            var customers = Enumerable.Range(0, 30).Select(_ => Guid.CreateVersion7().ToString()).ToArray();
            var acknowledged = new int[customers.Length];
            for (var round = 0; round < 4; round++)
            {
                for (var i = 0; i < customers.Length; i++)
                {
                    var grain = cluster.Client.GetGrain<ICustomerGrain>(customers[i]);
                    await grain.Track(GrainTestData.PageView(GrainTestData.Loyalty(), now.AddMinutes(-round)), []);
                    acknowledged[i]++;
                }
            }

            // Secondaries only: the primary holds the test cluster's membership table.
            var victim = cluster.SecondarySilos[0];
            await cluster.KillSiloAsync(victim);

            for (var i = 0; i < customers.Length; i++)
            {
                var grain = cluster.Client.GetGrain<ICustomerGrain>(customers[i]);
                var view = await Eventually(() => grain.GetProfile());
                Assert.NotNull(view);
                Assert.Equal(acknowledged[i], view.Counters.Single(c => c.EventType == EventType.PageView).Windows[CounterWindow.Lifetime]);

                await grain.Track(GrainTestData.PageView(GrainTestData.Loyalty(), now), []);
                view = await grain.GetProfile();
                Assert.Equal(acknowledged[i] + 1, view!.Counters.Single(c => c.EventType == EventType.PageView).Windows[CounterWindow.Lifetime]);
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Calls to grains of the dead silo fail until the cluster declares it dead; then they reactivate elsewhere.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private sealed class DurableSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var connectionString = silo.Configuration[ConnectionStringKey] ?? throw new InvalidOperationException("no connection string");
            silo.AddProfileGrainsPostgres(new PostgresStorageOptions { ConnectionString = connectionString, ApplySchema = false });
            silo.Services.AddProfileGrains(silo.Configuration);
            silo.Services.Configure<ProfileGrainsOptions>(o => o.JournaledSnapshotInterval = TimeSpan.FromHours(1));
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }
}
