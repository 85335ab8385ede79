using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using ProfileGrains.Abstractions;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Grains;
using ProfileGrains.Storage;
using Orleans.Storage;
using Domain = ProfileGrains.Domain;
using ProfileGrains.Protos.V1;
using static ProfileGrains.Durability.Tests.Infrastructure.StoredRows;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// A customer that left memory comes back with one read: its snapshot and the journal after it in one statement, the
/// journal tail replayed on top of the snapshot, whether the snapshot exists or not.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ColdReadTests(SharedPostgres postgres)
{
    [Fact]
    public async Task A_customer_out_of_memory_is_read_back_whole_with_one_statement()
    {
        var reads = new ConcurrentBag<string>();
        using var listener = Listen(reads);

        var database = await postgres.NewDatabaseAsync();
        string[] options = ["--ProfileGrains:JournaledSnapshotInterval=00:00:00.200", "--ProfileGrains:JournaledSnapshotAfterEntries=5"];
        var serviceId = Unique("cold-read");
        await using var engine = await DurableEngine.StartAsync(database, serviceId, options);
        var (snapshotted, journaled, warmUp) = (Loyalty(), Loyalty(), Loyalty());
        var snapshottedId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { snapshotted } })).CustomerId;
        var journaledId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { journaled } })).CustomerId;
        var warmUpId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { warmUp } })).CustomerId;
        for (var i = 0; i < 6; i++)
        {
            await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, snapshotted) });
        }

        // The snapshot covers the first entries, deleted from the journal once it is written; two more come after it, so
        // only the snapshot and the tail together hold all eight page views.
        Assert.True(await Eventually(async () => await JournalRows(database, serviceId, snapshottedId) < 7, TimeSpan.FromSeconds(15)), "no snapshot was written");
        for (var i = 0; i < 2; i++)
        {
            await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, snapshotted) });
        }

        await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.AddToCart, journaled) });

        await engine.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // Whatever else a customer's activation wakes (segments, their storage) is woken by another customer first.
        await engine.Profiles.ProfileById(warmUpId);
        reads.Clear();
        Assert.Equal(8, Count(await engine.Profiles.ProfileById(snapshottedId), EventType.PageView, CounterWindow.Lifetime));
        Assert.Single(reads);
        reads.Clear();
        Assert.Equal(1, Count(await engine.Profiles.ProfileById(journaledId), EventType.AddToCart, CounterWindow.Lifetime));
        Assert.Single(reads);
    }

    /// <summary>
    /// Customers read back at the same moment share a statement: each gets its own snapshot (or none) and its own
    /// journal, whatever the others hold.
    /// </summary>
    [Fact]
    public async Task Customers_read_back_together_share_one_statement_and_each_gets_its_own_record()
    {
        var database = await postgres.NewDatabaseAsync();
        string[] options = ["--ProfileGrains:JournaledSnapshotInterval=00:00:00.200", "--ProfileGrains:JournaledSnapshotAfterEntries=5"];
        var serviceId = Unique("batched-reads");
        await using var engine = await DurableEngine.StartAsync(database, serviceId, options);
        var (snapshotted, journaled) = (Loyalty(), Loyalty());
        var snapshottedId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { snapshotted } })).CustomerId;
        var journaledId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { journaled } })).CustomerId;
        for (var i = 0; i < 6; i++)
        {
            await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, snapshotted) });
        }

        Assert.True(await Eventually(async () => await JournalRows(database, serviceId, snapshottedId) < 7, TimeSpan.FromSeconds(15)), "no snapshot was written");
        await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, snapshotted) });
        await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.AddToCart, journaled) });
        var snapshottedRows = await JournalRows(database, serviceId, snapshottedId);

        var storage = (PostgresProfileStorage)engine.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Profiles);
        string[] ids = [journaledId, Guid.CreateVersion7().ToString("N"), snapshottedId, Unique("never-stored")];
        var reads = ids.Select(id => storage.ReadOf("profile", GrainId.Create(GrainReferences.Customers, id), new GrainState<Domain.CustomerProfile>())).ToList();

        var statements = new ConcurrentBag<string>();
        using (Listen(statements))
        {
            var stored = await storage.ReadStoredAsync(reads);
            Assert.Single(statements);

            Assert.False(stored[0].RecordExists);
            Assert.Equal([1L, 2L], stored[0].Journal!.Select(e => e.Sequence));
            Assert.All([stored[1], stored[3]], nothing => Assert.True(!nothing.RecordExists && nothing.Snapshot is null && nothing.Journal is null));
            Assert.True(stored[2].RecordExists);
            Assert.NotNull(stored[2].Snapshot);
            Assert.Equal(snapshottedRows, stored[2].Journal!.Count);
            Assert.Equal(8L, stored[2].Journal![^1].Sequence);
        }
    }

    /// <summary>
    /// The snapshot row is the Orleans provider's, keyed the provider's way, which depends on the shape of the id: one that
    /// parses as a GUID (every minted customer id), one that parses as an integer key, any other string. For each, a
    /// snapshot the provider wrote is found after a restart; without it, only the tail after it would be left.
    /// </summary>
    [Fact]
    public async Task Snapshots_the_provider_wrote_are_found_for_every_shape_of_customer_id()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("id-shapes");
        string[] options = ["--ProfileGrains:JournaledSnapshotInterval=00:00:00.200", "--ProfileGrains:JournaledSnapshotAfterEntries=5"];
        string[] ids = [Guid.CreateVersion7().ToString("N"), "00000000075bcd15", Unique("crm-7")];
        string[] locales = ["fr-FR", "de-DE", "en-GB", "es-ES", "it-IT", "nl-NL"];
        await using (var engine = await DurableEngine.StartAsync(database, serviceId, options))
        {
            var grains = engine.Services.GetRequiredService<IGrainFactory>();
            foreach (var id in ids)
            {
                var customer = grains.GetGrain<ICustomerGrain>(id);
                await customer.Identify([new Domain.CustomerIdentifier(Domain.IdentifierType.Email, $"{id}@example.com")], new Domain.TraitsUpdate(Domain.ProfileTraits.Empty, []));
                foreach (var locale in locales)
                {
                    await customer.UpdateTraits(new Domain.TraitsUpdate(Domain.ProfileTraits.Empty with { Locale = locale }, ["locale"]));
                }
            }

            foreach (var id in ids)
            {
                Assert.True(await Eventually(async () => await JournalRows(database, serviceId, id) < 7, TimeSpan.FromSeconds(15)), $"no snapshot of {id} was written");
            }
        }

        await using (var restarted = await DurableEngine.StartAsync(database, serviceId, options))
        {
            var grains = restarted.Services.GetRequiredService<IGrainFactory>();
            foreach (var id in ids)
            {
                var profile = await grains.GetGrain<ICustomerGrain>(id).GetProfile();
                Assert.NotNull(profile);
                Assert.Equal("nl-NL", profile.Traits.Locale);
                Assert.Equal($"{id}@example.com", Assert.Single(profile.Identifiers).Value);
            }
        }
    }

    /// <summary>Collects, into <paramref name="statements"/>, every statement that reads a stored profile or a journal.</summary>
    private static ActivityListener Listen(ConcurrentBag<string> statements)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (ProfileRead(activity) is { } statement)
                {
                    statements.Add(statement);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>The SQL of a command that reads a stored profile or a journal, or null for any other command.</summary>
    private static string? ProfileRead(Activity activity)
    {
        foreach (var (_, value) in activity.TagObjects)
        {
            if (value is string text)
            {
                var sql = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                var reads = (sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("WITH", StringComparison.OrdinalIgnoreCase))
                    && !sql.Contains("INSERT", StringComparison.OrdinalIgnoreCase) && !sql.Contains("DELETE", StringComparison.OrdinalIgnoreCase)
                    && !sql.Contains("UPDATE", StringComparison.OrdinalIgnoreCase);
                if (reads && (sql.Contains("orleansstorage", StringComparison.OrdinalIgnoreCase) || sql.Contains("profilegrains_journal", StringComparison.OrdinalIgnoreCase)))
                {
                    return sql;
                }
            }
        }

        return null;
    }
}
