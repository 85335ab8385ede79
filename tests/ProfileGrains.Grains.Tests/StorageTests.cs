using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using ProfileGrains.Domain;
using static ProfileGrains.TestSupport.GrainTestData;

namespace ProfileGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class StorageTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Changed_profiles_are_written_by_the_flush_timer_with_every_field()
    {
        var router = fixture.Router;
        var result = await router.Track(Purchase(Email(), ClusterFixture.Clock.GetUtcNow().AddMinutes(-10), 42.5m));

        // The fixture flushes every second; wait for at least one flush.
        var state = new GrainState<CustomerProfile>();
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Profiles);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(250);
            await storage.ReadStateAsync("profile", GrainId.Create("customer", result.CustomerId), state);
        }
        while (!state.RecordExists && DateTime.UtcNow < deadline);

        Assert.True(state.RecordExists);
        Assert.Equal(result.CustomerId, state.State!.CustomerId);
        Assert.NotNull(state.State.CreatedAt);
        Assert.Equal(1, state.State.Transactions.OrderCount);
        Assert.Equal(1, state.State.Counters.Count(EventType.Purchase, CounterWindow.Lifetime, ClusterFixture.Clock.GetUtcNow()));
    }
}
