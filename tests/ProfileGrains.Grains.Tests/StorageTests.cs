using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using static ProfileGrains.TestSupport.GrainTestData;

namespace ProfileGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class StorageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task In_memory_mode_a_profile_is_stored_only_while_its_customer_is_out_of_memory_with_every_field()
    {
        var result = await fixture.Router.Track(Purchase(Email(), ClusterFixture.Clock.GetUtcNow().AddMinutes(-10), 42.5m));

        // Resident: the grain holds the only copy, even after the fixture's flush interval has passed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False((await StoredProfile(result.CustomerId)).RecordExists);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var stored = await StoredProfile(result.CustomerId);
        Assert.True(stored.RecordExists);
        Assert.Equal(result.CustomerId, stored.State!.CustomerId);
        Assert.NotNull(stored.State.CreatedAt);
        Assert.Equal(1, stored.State.Transactions.OrderCount);
        Assert.Equal(1, stored.State.Counters.Count(EventType.Purchase, CounterWindow.Lifetime, ClusterFixture.Clock.GetUtcNow()));

        // Back in memory: the stored copy is released, and nothing was lost on the way.
        var summary = await fixture.Grains.GetGrain<ICustomerGrain>(result.CustomerId).GetCheckoutSummary();
        Assert.Equal(1, summary!.OrderCount);
        Assert.False((await StoredProfile(result.CustomerId)).RecordExists);
    }

    private async Task<GrainState<CustomerProfile>> StoredProfile(string customerId)
    {
        var state = new GrainState<CustomerProfile>();
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Profiles);
        await storage.ReadStateAsync("profile", GrainId.Create("customer", customerId), state);
        return state;
    }
}
