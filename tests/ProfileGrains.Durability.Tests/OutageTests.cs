using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// PostgreSQL stops while the engine runs: writes fail with UNAVAILABLE and a retry delay, never OK; what is in memory
/// can still be read; readiness says NOT_SERVING (liveness stays SERVING); once the server is back the engine recovers
/// by itself, readiness says SERVING again, and nothing acknowledged is lost.
/// </summary>
[Collection(OutageCollection.Name)]
public sealed class OutageTests(OutagePostgres postgres)
{
    [Fact]
    public async Task Writes_fail_unavailable_during_an_outage_and_the_engine_recovers_without_losing_anything()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("outage");
        await using var engine = await DurableEngine.StartAsync(database, serviceId);
        var profiles = engine.Profiles;

        var writer = Loyalty();
        var reader = Loyalty();
        var writerId = (await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { writer } })).CustomerId;
        var readerId = (await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { reader } })).CustomerId;
        var acknowledged = new List<Event>();
        for (var i = 0; i < 5; i++)
        {
            var e = Event(EventType.PageView, writer);
            await profiles.TrackAsync(new TrackRequest { Event = e });
            acknowledged.Add(e);
        }

        await profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, reader) });
        var health = new Health.HealthClient(engine.Channel);
        Assert.Equal(ServingStatus.Serving, await Status(health, "readiness"));

        await postgres.Server.StopAsync();
        var refused = new List<Event>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var e = Event(EventType.PageView, writer);
                var failure = await Assert.ThrowsAsync<RpcException>(() => profiles.TrackAsync(new TrackRequest { Event = e }).ResponseAsync);
                Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
                Assert.True(failure.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan() > TimeSpan.Zero, "UNAVAILABLE carries no retry delay");
                refused.Add(e);
            }

            var newcomer = await Assert.ThrowsAsync<RpcException>(() => profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Loyalty() } }).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, newcomer.StatusCode);

            // A customer already in memory still answers the till.
            var cached = await profiles.LookupAsync(new LookupRequest { Identifier = reader });
            Assert.Equal(readerId, cached.CustomerId);

            // A balancer stops sending traffic here; nothing asks for a restart.
            Assert.Equal(ServingStatus.NotServing, await Status(health, "readiness"));
            Assert.Equal(ServingStatus.NotServing, await Status(health, string.Empty));
            Assert.Equal(ServingStatus.Serving, await Status(health, "liveness"));
        }
        finally
        {
            await postgres.Server.RestartAsync();
        }

        // The engine recovers by itself: the first writes after the restart may still meet broken pooled connections.
        var retried = refused[0];
        TrackResponse? accepted = null;
        Assert.True(await Eventually(async () =>
        {
            try
            {
                accepted = await profiles.TrackAsync(new TrackRequest { Event = retried });
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30)), "the engine did not recover after PostgreSQL came back");
        Assert.Equal(TrackOutcome.Accepted, accepted!.Outcome);
        Assert.True(await Eventually(async () => await Status(health, "readiness") == ServingStatus.Serving, TimeSpan.FromSeconds(30)), "readiness did not come back");
        acknowledged.Add(retried);

        var profile = await profiles.ProfileById(writerId);
        // Every acknowledged event exactly once; the refused ones that were never retried are not there.
        Assert.Equal(acknowledged.Count, Count(profile, EventType.PageView, CounterWindow.Lifetime));
        var newcomerAfter = await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Loyalty() } });
        Assert.True(newcomerAfter.Created);
    }

    private static async Task<ServingStatus> Status(Health.HealthClient health, string service) =>
        (await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(10))).Status;
}
