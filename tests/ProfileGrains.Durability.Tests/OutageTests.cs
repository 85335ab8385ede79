using Grpc.Core;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// PostgreSQL stops while the engine runs: writes fail with UNAVAILABLE, never OK; what is in memory can still be read;
/// once the server is back the engine recovers by itself, and nothing acknowledged is lost.
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

        await postgres.Server.StopAsync();
        var refused = new List<Event>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var e = Event(EventType.PageView, writer);
                var failure = await Assert.ThrowsAsync<RpcException>(() => profiles.TrackAsync(new TrackRequest { Event = e }).ResponseAsync);
                Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
                refused.Add(e);
            }

            var newcomer = await Assert.ThrowsAsync<RpcException>(() => profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Loyalty() } }).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, newcomer.StatusCode);

            // A customer already in memory still answers the till.
            var cached = await profiles.LookupAsync(new LookupRequest { Identifier = reader });
            Assert.Equal(readerId, cached.CustomerId);
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
        acknowledged.Add(retried);

        var profile = await profiles.ProfileById(writerId);
        // Every acknowledged event exactly once; the refused ones that were never retried are not there.
        Assert.Equal(acknowledged.Count, Count(profile, EventType.PageView, CounterWindow.Lifetime));
        var newcomerAfter = await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Loyalty() } });
        Assert.True(newcomerAfter.Created);
    }
}
