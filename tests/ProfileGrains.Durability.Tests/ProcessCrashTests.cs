using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using ProfileGrains.Storage;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// Two real silo processes share PostgreSQL; one is killed with SIGKILL in the middle of a bounded load run of events
/// and of new customers. Every event the engine acknowledged must be counted exactly once afterwards, none lost with
/// the dead process, none doubled when clients retry what they could not confirm; every customer whose creation was
/// acknowledged must be found by each of its identifiers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProcessCrashTests(SharedPostgres postgres)
{
    private const int Customers = 48;
    private const int WorkersPerEngine = 6;
    private const int CreatorsPerEngine = 2;
    private const int MaxEvents = 12_000; // below the 512-event dedupe window per customer, so retries stay exact
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Every_acknowledged_event_is_counted_exactly_once_after_a_silo_is_killed()
    {
        var database = await postgres.NewDatabaseAsync();
        await PostgresSchema.ApplyAsync(database);
        var serviceId = Unique("crash");
        string[] cluster =
        [
            "--ProfileGrains:Storage=postgres",
            $"--ProfileGrains:Postgres:ConnectionString={database}",
            $"--ProfileGrains:ServiceId={serviceId}",
            $"--ProfileGrains:ClusterId={serviceId}",
            // Snapshots rarely: what the killed silo held lives only in the journal.
            "--ProfileGrains:JournaledSnapshotInterval=00:01:00",
            "--Orleans:ClusterMembership:ProbeTimeout=00:00:01",
            "--Orleans:ClusterMembership:NumMissedProbesLimit=2",
            "--Orleans:ClusterMembership:NumVotesForDeathDeclaration=1",
            "--Orleans:Messaging:ResponseTimeout=00:00:05",
        ];
        await using var survivor = await EngineProcess.StartAsync("survivor", cluster, TimeSpan.FromSeconds(60));
        await using var victim = await EngineProcess.StartAsync("victim", cluster, TimeSpan.FromSeconds(60));

        var loyaltyIds = Enumerable.Range(0, Customers).Select(_ => Loyalty()).ToArray();
        var customerIds = new string[Customers];
        for (var i = 0; i < Customers; i++)
        {
            // Created through both gateways, so customers live on both silos.
            var gateway = i % 2 == 0 ? survivor.Profiles : victim.Profiles;
            customerIds[i] = (await gateway.IdentifyAsync(new IdentifyRequest { Identifiers = { loyaltyIds[i] } })).CustomerId;
        }

        var acknowledged = new ConcurrentDictionary<string, int>(); // event id -> customer index
        var unconfirmed = new ConcurrentQueue<(Event Event, int Customer)>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        var killed = 0;
        var created = new ConcurrentDictionary<string, (Identifier Loyalty, Identifier Email, string CustomerId)>();
        var unconfirmedCreations = new ConcurrentQueue<(Identifier Loyalty, Identifier Email)>();

        async Task Create(ProfileService.ProfileServiceClient gateway)
        {
            while (clock.Elapsed < LoadDuration)
            {
                var (loyalty, email) = (Loyalty(), Email("crash"));
                try
                {
                    var response = await gateway.IdentifyAsync(new IdentifyRequest { Identifiers = { loyalty, email } }, deadline: DateTime.UtcNow.AddSeconds(10));
                    created[loyalty.Value] = (loyalty, email, response.CustomerId);
                }
                catch (RpcException)
                {
                    unconfirmedCreations.Enqueue((loyalty, email));
                    if (Volatile.Read(ref killed) == 1)
                    {
                        gateway = survivor.Profiles;
                    }
                }
            }
        }

        async Task Work(int worker, ProfileService.ProfileServiceClient gateway)
        {
            var random = new Random(worker);
            while (clock.Elapsed < LoadDuration && Interlocked.Increment(ref sent) <= MaxEvents)
            {
                var customer = random.Next(Customers);
                var e = Event(EventType.PageView, loyaltyIds[customer]);
                try
                {
                    await gateway.TrackAsync(new TrackRequest { Event = e }, deadline: DateTime.UtcNow.AddSeconds(10));
                    acknowledged[e.EventId] = customer;
                }
                catch (RpcException)
                {
                    // Not confirmed: it may or may not have been applied. A careful client retries it with the same id.
                    unconfirmed.Enqueue((e, customer));
                    if (Volatile.Read(ref killed) == 1)
                    {
                        gateway = survivor.Profiles;
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, WorkersPerEngine * 2)
            .Select(w => Task.Run(() => Work(w, w % 2 == 0 ? survivor.Profiles : victim.Profiles)))
            .Concat(Enumerable.Range(0, CreatorsPerEngine * 2).Select(c => Task.Run(() => Create(c % 2 == 0 ? survivor.Profiles : victim.Profiles))))
            .ToList();
        await Task.Delay(KillAfter);
        victim.Kill();
        Volatile.Write(ref killed, 1);
        await Task.WhenAll(workers);
        Assert.True(acknowledged.Count > 200, $"the load run acknowledged only {acknowledged.Count} events; see {survivor.LogPath}");

        // Retry everything unconfirmed until the surviving silo confirms it (the dead silo must first be declared dead).
        var retryDeadline = DateTime.UtcNow.AddSeconds(90);
        while (unconfirmed.TryDequeue(out var pending))
        {
            try
            {
                await survivor.Profiles.TrackAsync(new TrackRequest { Event = pending.Event }, deadline: DateTime.UtcNow.AddSeconds(10));
                acknowledged[pending.Event.EventId] = pending.Customer;
            }
            catch (RpcException) when (DateTime.UtcNow < retryDeadline)
            {
                unconfirmed.Enqueue(pending);
                await Task.Delay(100);
            }
        }

        for (var i = 0; i < Customers; i++)
        {
            var expected = acknowledged.Values.Count(c => c == i);
            var profile = await survivor.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerIds[i]) });
            Assert.Equal(expected, Count(profile, EventType.PageView, CounterWindow.Lifetime));
        }

        // Creations the client could not confirm are retried with the same identifiers: Identify is idempotent.
        while (unconfirmedCreations.TryDequeue(out var pending))
        {
            try
            {
                var response = await survivor.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { pending.Loyalty, pending.Email } }, deadline: DateTime.UtcNow.AddSeconds(10));
                created[pending.Loyalty.Value] = (pending.Loyalty, pending.Email, response.CustomerId);
            }
            catch (RpcException) when (DateTime.UtcNow < retryDeadline)
            {
                unconfirmedCreations.Enqueue(pending);
                await Task.Delay(100);
            }
        }

        Assert.True(created.Count > 20, $"the load run created only {created.Count} customers; see {survivor.LogPath}");
        foreach (var (loyalty, email, customerId) in created.Values)
        {
            Assert.Equal(customerId, (await survivor.Profiles.LookupAsync(new LookupRequest { Identifier = loyalty })).CustomerId);
            Assert.Equal(customerId, (await survivor.Profiles.LookupAsync(new LookupRequest { Identifier = email })).CustomerId);
        }
    }
}
