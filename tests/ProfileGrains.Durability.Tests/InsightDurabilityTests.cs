using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>The insight figures in postgres mode: customers come from the customers table, sampled there by PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class InsightDurabilityTests(SharedPostgres postgres)
{
    [Fact]
    public async Task The_customer_base_is_counted_from_storage_and_sampled_uniformly_by_postgres_after_a_restart()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("insight");
        const int PerWave = 200;
        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            // Two waves, one after the other: web buyers first, store buyers later (customer ids grow with time).
            await Task.WhenAll(Enumerable.Range(0, PerWave).Select(i => engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(Email($"early{i}"), 10m + i, Now().AddDays(-2)) }).ResponseAsync));
            await Task.WhenAll(Enumerable.Range(0, PerWave).Select(i => engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(Email($"late{i}"), 10m + i, Now().AddDays(-1), channel: Channel.Store, storeId: "store-7") }).ResponseAsync));
        }

        // After a restart nothing is in memory: every figure comes from customers read back through the directory.
        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var full = await engine.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 1000 });
            Assert.Equal((2 * PerWave, 2 * PerWave, true), (full.Customers, full.Sampled, full.Exact));
            Assert.Equal(PerWave, full.ChannelMix.Single(c => c.Label == "WebOnly").Customers);
            Assert.Equal(PerWave, full.ChannelMix.Single(c => c.Label == "StoreOnly").Customers);

            // A quarter of the rows drawn by TABLESAMPLE: both waves are in the sample, about half each, every time.
            var sampled = await engine.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 50 });
            Assert.Equal((2 * PerWave, 50, false), (sampled.Customers, sampled.Sampled, sampled.Exact));
            Assert.InRange(sampled.ChannelMix.Single(c => c.Label == "StoreOnly").Customers, 10, 40);
            var again = await engine.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 50 });
            Assert.Equal(sampled.ChannelMix, again.ChannelMix);

            var estimate = await engine.Insights.EstimateSegmentAsync(new EstimateSegmentRequest
            {
                Rule = new SegmentRule { AllOf = { new Condition { Expression = "count(purchase, lifetime) >= 1" } } },
                SampleSize = 50,
            });
            Assert.Equal((50, 50, 2L * PerWave), (estimate.Sampled, estimate.Matched, estimate.EstimatedMembers));
        }
    }
}
