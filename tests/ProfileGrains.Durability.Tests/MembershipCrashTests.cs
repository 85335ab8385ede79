using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using ProfileGrains.Storage;
using Xunit.Abstractions;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// Customers move in and out of a segment through two silo processes sharing PostgreSQL while one is killed with
/// SIGKILL; then the whole cluster is killed in the middle of more changes and started again. Each time the segment's
/// count and member list must converge to the truth read from the customers themselves within a bounded time, and a
/// watcher resuming from a cursor taken before the failures must either reach that truth or be told OUT_OF_RANGE.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MembershipCrashTests(SharedPostgres postgres, ITestOutputHelper output)
{
    private const int Customers = 60;
    private const string SegmentId = "crash-gold";
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(2);

    // Shards re-read recent rows every 2 s here (30 s by default); death detection and reactivation take the rest.
    private static readonly TimeSpan ConvergenceBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Segment_membership_converges_to_the_customers_after_a_silo_and_then_the_whole_cluster_is_killed()
    {
        var database = await postgres.NewDatabaseAsync();
        await PostgresSchema.ApplyAsync(database);
        var serviceId = Unique("members");
        string[] cluster =
        [
            "--ProfileGrains:Storage=postgres",
            $"--ProfileGrains:Postgres:ConnectionString={database}",
            $"--ProfileGrains:ServiceId={serviceId}",
            $"--ProfileGrains:ClusterId={serviceId}",
            "--ProfileGrains:SegmentShardRereadInterval=00:00:02",
            "--Orleans:ClusterMembership:ProbeTimeout=00:00:01",
            "--Orleans:ClusterMembership:NumMissedProbesLimit=2",
            "--Orleans:ClusterMembership:NumVotesForDeathDeclaration=1",
            // A silo starting after the whole cluster died ignores members whose liveness row is this stale (2 × 3 s).
            "--Orleans:ClusterMembership:IAmAliveTablePublishTimeout=00:00:03",
            "--Orleans:ClusterMembership:NumMissedTableIAmAliveLimit=2",
            "--Orleans:Messaging:ResponseTimeout=00:00:05",
        ];
        var survivor = await EngineProcess.StartAsync("members-survivor", cluster, TimeSpan.FromSeconds(60));
        await using var victim = await EngineProcess.StartAsync("members-victim", cluster, TimeSpan.FromSeconds(60));
        try
        {
            await survivor.Segments.PutSegmentAsync(new PutSegmentRequest
            {
                Segment = new Segment { SegmentId = SegmentId, Name = "Gold tier", Rule = new SegmentRule { AllOf = { new Condition { Expression = "loyalty_tier == \"gold\"" } } } },
            });
            var customers = new string[Customers];
            for (var i = 0; i < Customers; i++)
            {
                var gateway = i % 2 == 0 ? survivor.Profiles : victim.Profiles;
                customers[i] = (await gateway.IdentifyAsync(new IdentifyRequest { Identifiers = { Loyalty() } })).CustomerId;
            }

            var before = await survivor.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = SegmentId, PageSize = 1000 });

            // One silo dies in the middle of the changes; the clients carry on through the other.
            await ChangeTiers(customers, [survivor, victim], kill: victim);
            output.WriteLine($"one silo killed: converged {await AssertConverged(survivor, customers):F1} s after the load ended");
            await AssertWatchReachesTheTruthOrIsRefused(survivor, customers, before);

            // Then the whole cluster dies in the middle of more changes and starts again.
            await ChangeTiers(customers, [survivor], kill: survivor);
            await using var restarted = await EngineProcess.StartAsync("members-restarted", cluster, TimeSpan.FromSeconds(60));
            output.WriteLine($"whole cluster killed: converged {await AssertConverged(restarted, customers):F1} s after the restarted silo served");
            await AssertWatchReachesTheTruthOrIsRefused(restarted, customers, before);
        }
        finally
        {
            await survivor.DisposeAsync();
        }
    }

    /// <summary>Random gold/silver updates from several clients for a while; <paramref name="kill"/> is killed part-way.</summary>
    private static async Task ChangeTiers(string[] customers, EngineProcess[] engines, EngineProcess kill)
    {
        var clock = Stopwatch.StartNew();
        var killed = 0;
        var acknowledged = 0;
        async Task Work(int worker)
        {
            var random = new Random(worker);
            var engine = engines[worker % engines.Length];
            while (clock.Elapsed < LoadDuration)
            {
                if (Volatile.Read(ref killed) == 1 && engine == kill)
                {
                    engine = engines.FirstOrDefault(e => e != kill);
                    if (engine is null)
                    {
                        return;
                    }
                }

                try
                {
                    await engine.Profiles.UpdateProfileAsync(new UpdateProfileRequest
                    {
                        Customer = ById(customers[random.Next(customers.Length)]),
                        Traits = new ProfileTraits { LoyaltyTier = random.Next(2) == 0 ? "gold" : "silver" },
                        UpdateMask = new FieldMask { Paths = { "loyalty_tier" } },
                    }, deadline: DateTime.UtcNow.AddSeconds(10));
                    Interlocked.Increment(ref acknowledged);
                }
                catch (RpcException)
                {
                    // Unconfirmed changes may or may not have happened: the truth is read from the customers afterwards.
                    await Task.Delay(50);
                }
            }
        }

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Work(w))).ToList();
        await Task.Delay(KillAfter);
        kill.Kill();
        Volatile.Write(ref killed, 1);
        await Task.WhenAll(workers);
        Assert.True(acknowledged > 50, $"the load run acknowledged only {acknowledged} changes");
    }

    /// <summary>Who is gold according to the customers' own profiles (retrying while the cluster recovers).</summary>
    private static async Task<HashSet<string>> Truth(EngineProcess engine, string[] customers)
    {
        var gold = new HashSet<string>(StringComparer.Ordinal);
        foreach (var customerId in customers)
        {
            var profile = await Retry(() => engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
            if (profile.Traits.LoyaltyTier == "gold")
            {
                gold.Add(customerId);
            }
        }

        return gold;
    }

    /// <summary>Returns the seconds it took, from the first read of the truth.</summary>
    private static async Task<double> AssertConverged(EngineProcess engine, string[] customers)
    {
        var deadline = Stopwatch.StartNew();
        var truth = await Truth(engine, customers);
        (long Count, HashSet<string> Listed) seen = default;
        while (deadline.Elapsed < ConvergenceBound)
        {
            try
            {
                seen = (await engine.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = SegmentId }, deadline: DateTime.UtcNow.AddSeconds(10))).MemberCount is var count
                    ? (count, await Members(engine))
                    : default;
                if (seen.Count == truth.Count && seen.Listed.SetEquals(truth))
                {
                    return deadline.Elapsed.TotalSeconds;
                }
            }
            catch (RpcException)
            {
                // The cluster is still recovering.
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"after {ConvergenceBound.TotalSeconds} s the segment counts {seen.Count} and lists {seen.Listed?.Count} members; the customers say {truth.Count} ({seen.Listed?.Except(truth).Count()} too many, {truth.Except(seen.Listed ?? []).Count()} missing)");
    }

    private static async Task<HashSet<string>> Members(EngineProcess engine)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        var token = string.Empty;
        do
        {
            var page = await engine.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = SegmentId, PageSize = 1000, PageToken = token }, deadline: DateTime.UtcNow.AddSeconds(10));
            members.UnionWith(page.CustomerIds);
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
        return members;
    }

    /// <summary>
    /// A watcher resumes from a cursor taken before the failures: applying what it receives to what it had listed must
    /// reach the truth, unless the engine says OUT_OF_RANGE (then re-listing, as the message says, gives the truth).
    /// Silence would end this by the timeout and fail.
    /// </summary>
    private static async Task AssertWatchReachesTheTruthOrIsRefused(EngineProcess engine, string[] customers, ListSegmentMembersResponse before)
    {
        var truth = await Truth(engine, customers);
        var known = before.CustomerIds.ToHashSet(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = engine.Segments.WatchSegment(new WatchSegmentRequest { SegmentId = SegmentId, Cursor = before.WatchCursor }, cancellationToken: timeout.Token);
        try
        {
            while (!known.SetEquals(truth))
            {
                Assert.True(await watch.ResponseStream.MoveNext(timeout.Token), "the watch ended before reaching the customers' truth");
                var change = watch.ResponseStream.Current;
                _ = change.Entered ? known.Add(change.CustomerId) : known.Remove(change.CustomerId);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.OutOfRange)
        {
            Assert.Contains("ListSegmentMembers", e.Status.Detail, StringComparison.Ordinal);
            Assert.True((await Members(engine)).SetEquals(truth));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            Assert.Fail($"the watch fell silent: what it delivered gives {known.Count} members, the customers say {truth.Count}");
        }
    }

    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
