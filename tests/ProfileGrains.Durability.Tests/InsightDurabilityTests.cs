using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>The insight figures in postgres mode: customers come from the customers table, sampled there by PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class InsightDurabilityTests(SharedPostgres postgres)
{
    [Fact]
    public async Task The_customer_base_is_counted_from_storage_and_sampled_by_postgres_after_a_restart()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("insight");
        const int Customers = 60;
        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            await Task.WhenAll(Enumerable.Range(0, Customers).Select(i => engine.Profiles.TrackAsync(new TrackRequest
            {
                Event = Purchase(Email($"insight{i}"), 10m + i, Now().AddDays(-i), channel: i % 2 == 0 ? Channel.Web : Channel.Store, storeId: i % 2 == 0 ? null : "store-7"),
            }).ResponseAsync));
        }

        // After a restart nothing is in memory: every figure comes from customers read back through the directory.
        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var full = await engine.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest());
            Assert.Equal((Customers, Customers, true), (full.Customers, full.Sampled, full.Exact));
            Assert.Equal(Customers / 2, full.ChannelMix.Single(c => c.Label == "WebOnly").Customers);
            Assert.Equal(Customers / 2, full.ChannelMix.Single(c => c.Label == "StoreOnly").Customers);

            var sampled = await engine.Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 20 });
            Assert.Equal((Customers, 20, false), (sampled.Customers, sampled.Sampled, sampled.Exact));

            var estimate = await engine.Insights.EstimateSegmentAsync(new EstimateSegmentRequest
            {
                Rule = new SegmentRule { AllOf = { new Condition { Expression = "count(purchase, lifetime) >= 1" } } },
                SampleSize = 20,
            });
            Assert.Equal((20, 20, (long)Customers), (estimate.Sampled, estimate.Matched, estimate.EstimatedMembers));
        }
    }
}
