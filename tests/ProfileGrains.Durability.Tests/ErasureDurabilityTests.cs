using System.Text;
using Npgsql;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using ProfileGrains.Storage;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>
/// Erasure against real PostgreSQL: people erased while others keep buying leave nothing behind in any table, as text
/// or inside a binary payload, and stay erased after a restart while everyone else is intact.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ErasureDurabilityTests(SharedPostgres postgres, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int People = 12;
    private const int Erased = 4;

    [Fact]
    public async Task Erased_people_leave_no_identifier_or_id_in_any_table_and_stay_erased_after_a_restart()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("erasure");
        var people = Enumerable.Range(0, People).Select(i => new Person(i)).ToList();
        Dictionary<string, Profile> keptBefore;

        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var profiles = engine.Profiles;
            await engine.Segments.PutSegmentAsync(new PutSegmentRequest
            {
                Segment = new Segment { SegmentId = "erasure_buyers", Name = "Buyers", Rule = new SegmentRule { AllOf = { new Condition { Expression = "orders >= 1" } } } },
            });
            foreach (var person in people)
            {
                // Each person browses on a device and signs up: two records, merged when they log in on the device.
                person.DeviceRecord = (await profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, person.Device) })).CustomerId;
                await profiles.IdentifyAsync(new IdentifyRequest
                {
                    Identifiers = { person.Email, person.Phone, person.Loyalty },
                    Traits = new ProfileTraits { Name = new PersonName { GivenName = person.GivenName } },
                });
                var login = await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Email, person.Device } });
                person.CustomerId = login.CustomerId;
                person.SignUpRecord = Assert.Single(login.MergedCustomerIds.Append(person.DeviceRecord).Where(id => id != login.CustomerId).Distinct());
                await profiles.TrackAsync(new TrackRequest { Event = Purchase(person.Loyalty, 25m, Now().AddHours(-3), orderId: person.OrderId, category: "shoes") });
            }

            // Erase a third of them while the others keep buying.
            using var stop = new CancellationTokenSource();
            var kept = people.Skip(Erased).ToList();
            var traffic = Task.Run(async () =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    var who = kept[n++ % kept.Count];
                    await profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, who.Email) });
                }
            });
            foreach (var person in people.Take(Erased))
            {
                var erased = await profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(person.Email) });
                Assert.Equal(2, erased.RecordsErased);
                Assert.Equal(4, erased.IdentifiersErased);
            }

            await stop.CancelAsync();
            await traffic;
            keptBefore = [];
            foreach (var person in kept)
            {
                keptBefore[person.CustomerId] = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(person.CustomerId) });
            }
        }

        // Every table of the database, every row as text (binary columns as hex): no trace of the erased.
        var rows = await EveryRowAsync(database);
        Assert.Contains(rows, r => r.Contains(people[^1].CustomerId, StringComparison.Ordinal)); // the search does see the kept
        foreach (var person in people.Take(Erased))
        {
            foreach (var secret in person.Secrets)
            {
                var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret));
                var found = rows.FirstOrDefault(r => r.Contains(secret, StringComparison.OrdinalIgnoreCase) || r.Contains(hex, StringComparison.Ordinal));
                Assert.True(found is null, $"'{secret}' of an erased person is still stored: {found?[..Math.Min(found.Length, 200)]}");
            }
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var profiles = engine.Profiles;
            foreach (var person in people.Take(Erased))
            {
                await RpcAssert.NotFound(() => profiles.LookupAsync(new LookupRequest { Identifier = person.Loyalty }).ResponseAsync);
                await RpcAssert.NotFound(() => profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(person.CustomerId) }).ResponseAsync);
                await RpcAssert.NotFound(() => profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(person.SignUpRecord) }).ResponseAsync);
            }

            foreach (var (customerId, before) in keptBefore)
            {
                var after = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
                Assert.Equal(before.Identifiers, after.Identifiers);
                Assert.Equal(before.Transactions, after.Transactions);
                Assert.Equal(before.Counters, after.Counters);
            }

            Assert.Equal(People - Erased, (await engine.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = "erasure_buyers" })).MemberCount);

            // Their identifiers sent again make new people with no past.
            var back = await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { people[0].Email } });
            Assert.True(back.Created);
            Assert.NotEqual(people[0].CustomerId, back.CustomerId);
        }
    }

    [Fact]
    public async Task Erasures_cut_by_a_sigkill_are_finished_after_the_restart_and_a_retry_with_the_request_id_gets_an_answer()
    {
        var database = await postgres.NewDatabaseAsync();
        await PostgresSchema.ApplyAsync(database);
        var serviceId = Unique("erasure-crash");
        string[] engine =
        [
            "--ProfileGrains:Storage=postgres",
            $"--ProfileGrains:Postgres:ConnectionString={database}",
            $"--ProfileGrains:ServiceId={serviceId}",
            $"--ProfileGrains:ClusterId={serviceId}",
            "--ProfileGrains:ErasureResumeInterval=00:00:02",
            "--Orleans:ClusterMembership:ProbeTimeout=00:00:01",
            "--Orleans:ClusterMembership:NumMissedProbesLimit=2",
            "--Orleans:ClusterMembership:NumVotesForDeathDeclaration=1",
            "--Orleans:ClusterMembership:IAmAliveTablePublishTimeout=00:00:03",
            "--Orleans:ClusterMembership:NumMissedTableIAmAliveLimit=2",
            "--Orleans:Messaging:ResponseTimeout=00:00:05",
        ];
        var people = Enumerable.Range(0, 50).Select(i => new Person(i)).ToList();
        var erasing = people.Take(40).ToList();
        var confirmed = new System.Collections.Concurrent.ConcurrentDictionary<int, EraseCustomerResponse>();

        await using (var victim = await EngineProcess.StartAsync("erasure-victim", engine, TimeSpan.FromSeconds(60)))
        {
            foreach (var person in people)
            {
                person.CustomerId = (await victim.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Email, person.Loyalty } })).CustomerId;
                await victim.Profiles.TrackAsync(new TrackRequest { Event = Purchase(person.Loyalty, 15m, Now().AddHours(-1), orderId: person.OrderId) });
            }

            // A few are done before the kill (their retries must get the same answer), the rest are cut by it.
            for (var i = 0; i < 5; i++)
            {
                confirmed[i] = await victim.Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(erasing[i].Email), RequestId = erasing[i].RequestId });
            }

            var requests = erasing.Select((person, i) => (person, i)).Skip(5).Select(async pair =>
            {
                try
                {
                    confirmed[pair.i] = await victim.Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(pair.person.Email), RequestId = pair.person.RequestId }, deadline: DateTime.UtcNow.AddSeconds(10));
                }
                catch (Grpc.Core.RpcException)
                {
                    // Cut by the kill: retried below with the same request id.
                }
            }).ToList();
            // Killed as soon as an erasure is recorded as under way: in the middle of it, and of the others.
            await using (var watch = new NpgsqlConnection(database))
            {
                await watch.OpenAsync();
                await using var pending = new NpgsqlCommand("SELECT count(*) FROM profilegrains_erasures WHERE completed_at IS NULL", watch);
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while ((long)(await pending.ExecuteScalarAsync())! == 0 && DateTime.UtcNow < deadline)
                {
                }
            }

            victim.Kill();
            await Task.WhenAll(requests);
        }

        Assert.InRange(confirmed.Count, 5, erasing.Count - 1); // the kill did cut some of them
        var interrupted = await PendingErasuresAsync(database);
        output.WriteLine($"before the kill: {confirmed.Count} of {erasing.Count} erasures confirmed; {interrupted} left half done in the ledger");

        await using (var restarted = await EngineProcess.StartAsync("erasure-restarted", engine, TimeSpan.FromSeconds(60)))
        {
            // Interrupted requests are finished by the engine itself, within a few resume intervals.
            Assert.True(await EventuallyAsync(async () => await PendingErasuresAsync(database) == 0, TimeSpan.FromSeconds(30)), "interrupted erasures were not finished");

            for (var i = 0; i < erasing.Count; i++)
            {
                var retry = await restarted.Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(erasing[i].Email), RequestId = erasing[i].RequestId });
                Assert.Equal(1, retry.RecordsErased);
                if (confirmed.TryGetValue(i, out var first))
                {
                    Assert.Equal((first.RecordsErased, first.IdentifiersErased, first.ErasedAt), (retry.RecordsErased, retry.IdentifiersErased, retry.ErasedAt));
                }
            }

            foreach (var person in people.Skip(erasing.Count))
            {
                Assert.Equal(person.CustomerId, (await restarted.Profiles.LookupAsync(new LookupRequest { Identifier = person.Loyalty })).CustomerId);
            }
        }

        var rows = await EveryRowAsync(database);
        foreach (var person in erasing)
        {
            foreach (var secret in new[] { person.Email.Value, person.Loyalty.Value, person.OrderId, person.CustomerId })
            {
                var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret));
                var found = rows.FirstOrDefault(r => r.Contains(secret, StringComparison.OrdinalIgnoreCase) || r.Contains(hex, StringComparison.Ordinal));
                Assert.True(found is null, $"'{secret}' of an erased person is still stored: {found?[..Math.Min(found.Length, 200)]}");
            }
        }

        // The audit trail: one row per request, done, naming nobody.
        Assert.Equal(erasing.Count, rows.Count(r => r.StartsWith("profilegrains_erasures:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task With_reingestion_refused_an_erased_persons_identifiers_stay_unusable_after_a_restart()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("suppress");
        var person = new Person(0);
        const string Refuse = "--ProfileGrains:ReingestAfterErasure=Refuse";

        await using (var engine = await DurableEngine.StartAsync(database, serviceId, Refuse))
        {
            await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Email, person.Loyalty } });
            await engine.Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(person.Email), RequestId = person.RequestId });
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId, Refuse))
        {
            await RpcAssert.FailsWith(Grpc.Core.StatusCode.FailedPrecondition, () => engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Loyalty } }).ResponseAsync);
            var beside = await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Email, Loyalty() } });
            Assert.Equal(person.Email.Value, Assert.Single(beside.Conflicts).Identifier.Value);
        }

        // Suppression is kept as keyed hashes with no owner: the table still names nobody.
        var rows = await EveryRowAsync(database);
        Assert.Equal(2, rows.Count(r => r.StartsWith("profilegrains_identities:", StringComparison.Ordinal) && r.Contains(",\"\",", StringComparison.Ordinal)));
        foreach (var secret in new[] { person.Email.Value, person.Loyalty.Value })
        {
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.OrdinalIgnoreCase) || r.Contains(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal));
        }
    }

    private static async Task<long> PendingErasuresAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM profilegrains_erasures WHERE completed_at IS NULL", connection);
        return (long)(await count.ExecuteScalarAsync() ?? 0L);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return await condition();
    }

    private static async Task<List<string>> EveryRowAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("profilegrains_journal", tables);
        Assert.Contains("orleansstorage", tables);
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM {table} AS t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(table + ": " + reader.GetString(0));
            }
        }

        return rows;
    }

    private sealed class Person(int index)
    {
        private readonly string _tag = Guid.NewGuid().ToString("N")[..10];
        private readonly (string National, string International, string E164) _mobile = FrenchMobile();

        public Identifier Email => Id(IdentifierType.Email, $"erasable.{_tag}@client-mail.fr");

        public Identifier Phone => Phone(_mobile.International);

        public Identifier Loyalty => Id(IdentifierType.LoyaltyId, $"LOY{_tag.ToUpperInvariant()}");

        public Identifier Device => Id(IdentifierType.AnonymousId, $"device-{_tag}");

        public string GivenName => $"Erasable{index}{_tag[..4]}";

        public string OrderId => $"order-{_tag}";

        public string RequestId => $"dsr-{_tag}";

        public string CustomerId { get; set; } = string.Empty;

        public string DeviceRecord { get; set; } = string.Empty;

        /// <summary>The record merged away (the other of the two).</summary>
        public string SignUpRecord { get; set; } = string.Empty;

        public IEnumerable<string> Secrets =>
            [Email.Value, _mobile.E164, Loyalty.Value, Device.Value, GivenName, OrderId, _tag, CustomerId, DeviceRecord, SignUpRecord];
    }
}
