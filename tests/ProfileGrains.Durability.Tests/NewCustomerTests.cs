using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProfileGrains.Abstractions;
using Domain = ProfileGrains.Domain;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Grains;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// A customer being created is activated without reading storage (<see cref="NewCustomer"/>). These tests hold the two
/// sides of that: what a new customer writes is durable like any other change, and a customer wrongly taken for new
/// loses nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NewCustomerTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Customers_created_without_reading_storage_are_all_there_after_a_restart()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("new-customers");
        var people = Enumerable.Range(0, 40).Select(i => (Email: Email($"new{i}"), Loyalty: Loyalty())).ToArray();
        string[] ids;
        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var created = await Task.WhenAll(people.Select(p => engine.Profiles.IdentifyAsync(new IdentifyRequest
            {
                Identifiers = { p.Email, p.Loyalty },
                Traits = new ProfileTraits { Name = new PersonName { GivenName = "Maëlle" } },
            }).ResponseAsync));
            Assert.All(created, c => Assert.True(c.Created));
            ids = [.. created.Select(c => c.CustomerId)];

            // A second change of each: the first one's sequence was taken, not refused.
            await Task.WhenAll(people.Select(p => engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, p.Loyalty) }).ResponseAsync));
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            for (var i = 0; i < people.Length; i++)
            {
                var profile = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(people[i].Email) });
                Assert.Equal(ids[i], profile.CustomerId);
                Assert.Equal("Maëlle", profile.Traits.Name.GivenName);
                Assert.Equal(2, profile.Identifiers.Count);
                Assert.Equal(1, Count(profile, EventType.PageView, CounterWindow._24H));
            }
        }
    }

    [Fact]
    public async Task A_customer_with_history_wrongly_taken_for_new_refuses_the_change_and_then_reloads_everything()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("taken-for-new");
        var email = Email("taken-for-new");
        string customerId;
        Profile before;

        // Snapshotted early, so the journal no longer holds the first entry: only the directory row says it was taken.
        string[] options = ["--ProfileGrains:JournaledSnapshotInterval=00:00:00.200", "--ProfileGrains:JournaledSnapshotAfterEntries=5"];
        await using (var engine = await DurableEngine.StartAsync(database, serviceId, options))
        {
            customerId = (await engine.Profiles.IdentifyAsync(new IdentifyRequest
            {
                Identifiers = { email },
                Traits = new ProfileTraits { Name = new PersonName { GivenName = "Inès" } },
            })).CustomerId;
            for (var i = 0; i < 6; i++)
            {
                await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email) });
            }

            Assert.True(await Eventually(async () => !await HasFirstEntry(database, serviceId, customerId), TimeSpan.FromSeconds(10)), "the snapshot never covered the first entry");
            before = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId, options))
        {
            // After the restart the customer is not in memory: the marked call activates it without reading, so it
            // believes the customer new and journals a first entry, which the journal refuses.
            var customer = engine.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customerId);
            var linked = new[] { new Domain.CustomerIdentifier(Domain.IdentifierType.Email, before.Identifiers.Single().Value) };
            var change = new Domain.TraitsUpdate(Domain.ProfileTraits.Empty with { Locale = "fr-FR" }, ["locale"]);
            await Assert.ThrowsAsync<StorageUnavailableException>(() => NewCustomer.Creating(customerId, () => customer.Identify(linked, change)));

            // The refused activation is gone; the next one reads everything stored, and nothing of the refused change.
            var after = await Retried(() => engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) }).ResponseAsync);
            Assert.Equal(before.Traits, after.Traits);
            Assert.Equal(before.Counters, after.Counters);
            Assert.Equal(before.Identifiers, after.Identifiers);

            // And it takes changes again, after the ones stored.
            await engine.Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email) });
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId, options))
        {
            var restarted = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
            Assert.Equal("Inès", restarted.Traits.Name.GivenName);
            Assert.Equal(7, Count(restarted, EventType.PageView, CounterWindow._24H));
        }
    }

    private static async Task<bool> HasFirstEntry(string database, string serviceId, string customerId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM profilegrains_journal WHERE service_id = $1 AND customer_id = $2 AND seq = 1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static async Task<T> Retried<T>(Func<Task<T>> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable && attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }
}
