using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using static ProfileGrains.TestSupport.GrainTestData;

namespace ProfileGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SegmentGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Customers_enter_a_segment_when_a_change_makes_the_rule_hold()
    {
        var segmentId = "big-spender-" + Guid.NewGuid().ToString("N")[..8];
        var segment = fixture.Grains.GetGrain<ISegmentGrain>(segmentId);
        var defined = await segment.Define("Big spenders", [new SpendCondition("EUR", Comparison.GreaterOrEqual, 100m)]);
        Assert.Equal(1, defined.Definition.Version);
        await WaitForRule(segmentId);

        var router = fixture.Router;
        var email = Email();
        var now = ClusterFixture.Clock.GetUtcNow();
        var small = await router.Track(Purchase(email, now.AddMinutes(-5), 60m));
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(small.CustomerId);
        Assert.DoesNotContain(segmentId, (await customer.GetSegments())!);

        await router.Track(Purchase(email, now.AddMinutes(-1), 60m));

        Assert.Contains(segmentId, (await customer.GetSegments())!);
        await Eventually(async () => (await segment.Get())!.MemberCount == 1);
    }

    [Fact]
    public async Task Redefining_a_segment_bumps_its_version()
    {
        var segment = fixture.Grains.GetGrain<ISegmentGrain>("versioned-" + Guid.NewGuid().ToString("N")[..8]);

        await segment.Define("v1", [new OrderCountCondition(Comparison.GreaterOrEqual, 1)]);
        var second = await segment.Define("v2", [new OrderCountCondition(Comparison.GreaterOrEqual, 2)]);

        Assert.Equal(2, second.Definition.Version);
        Assert.Equal("v2", (await segment.Get())!.Definition.Name);
    }

    private async Task WaitForRule(string segmentId) =>
        await Eventually(async () =>
        {
            var snapshot = await fixture.Grains.GetGrain<ISegmentCatalogGrain>(0).GetIfNewer(-1);
            return snapshot!.Definitions.Any(d => d.SegmentId == segmentId);
        }, extraDelay: TimeSpan.FromMilliseconds(600));

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan? extraDelay = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(50);
        }

        // Silos refresh their copy of the catalog every 200 ms in these tests.
        if (extraDelay is { } delay)
        {
            await Task.Delay(delay);
        }
    }
}
