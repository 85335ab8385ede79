using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.Durability.Tests.Infrastructure.StoredRows;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// A snapshot only shortens replay: a customer with a short journal is not snapshotted, neither while in memory nor
/// when it leaves memory (a million customers touched once each would otherwise be a million writes), a long journal
/// is, and every acknowledged change survives a restart either way.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SnapshotTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Only_a_journal_past_the_threshold_schedules_a_snapshot_and_both_come_back_whole()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("snapshots");
        string[] options = ["--ProfileGrains:JournaledSnapshotInterval=00:00:00.200", "--ProfileGrains:JournaledSnapshotAfterEntries=5"];
        var (quiet, busy) = (Loyalty(), Loyalty());
        string quietId, busyId;
        await using (var engine = await DurableEngine.StartAsync(database, serviceId, options))
        {
            quietId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { quiet } })).CustomerId;
            busyId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { busy } })).CustomerId;
            for (var i = 0; i < 2; i++)
            {
                await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, quiet) });
            }

            for (var i = 0; i < 6; i++)
            {
                await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, busy) });
            }

            // The busy customer's snapshot is written and the journal it covers deleted (entries appended after it may
            // remain); the quiet one keeps its three entries, well past the snapshot interval.
            Assert.True(await Eventually(async () => await JournalRows(database, serviceId, busyId) < 5, TimeSpan.FromSeconds(10)), "no snapshot for a long journal");
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(3, await JournalRows(database, serviceId, quietId));

            // Leaving memory writes no snapshot either: the journal is its durable copy, replayed on the next call.
            await engine.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal(3, await JournalRows(database, serviceId, quietId));
            Assert.Equal(2, Count(await engine.Profiles.ProfileById(quietId), EventType.PageView, CounterWindow.Lifetime));
        }

        await using (var restarted = await DurableEngine.StartAsync(database, serviceId, options))
        {
            Assert.Equal(2, Count(await restarted.Profiles.ProfileById(quietId), EventType.PageView, CounterWindow.Lifetime));
            Assert.Equal(6, Count(await restarted.Profiles.ProfileById(busyId), EventType.PageView, CounterWindow.Lifetime));
        }
    }
}
