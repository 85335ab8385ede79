using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using static ProfileGrains.TestSupport.GrainTestData;

namespace ProfileGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SegmentMembershipGrainTests(ClusterFixture fixture)
{
    private ProfileRouter Router => fixture.Router;

    private DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    private static string PrivateCurrency() => "Z" + (char)('A' + Random.Shared.Next(26)) + (char)('A' + Random.Shared.Next(26));

    private async Task<ISegmentGrain> Define(string name, params SegmentCondition[] conditions)
    {
        var segment = fixture.Grains.GetGrain<ISegmentGrain>("seg_" + Guid.NewGuid().ToString("N"));
        await segment.Define(name, conditions);
        // Every silo refreshes its copy of the rules within SegmentRefreshInterval (200 ms here).
        await Task.Delay(600);
        return segment;
    }

    private async Task<HashSet<string>> Members(ISegmentGrain segment)
    {
        var segmentId = segment.GetPrimaryKeyString();
        var members = new HashSet<string>(StringComparer.Ordinal);
        for (var shard = 0; shard < SegmentSharding.DefaultShardCount; shard++)
        {
            foreach (var id in await fixture.Grains.GetGrain<ISegmentShardGrain>(SegmentSharding.ShardKey(segmentId, shard)).List(null, 10_000))
            {
                members.Add(id);
            }
        }

        return members;
    }

    [Fact]
    public async Task Membership_equals_the_truth_after_randomized_ingest_and_merges()
    {
        var currency = PrivateCurrency();
        var bigSpenders = await Define("big spenders", new SpendCondition(currency, Comparison.Greater, 60m));
        var random = new Random(7);
        var people = Enumerable.Range(0, 10).Select(_ => new[] { Email(), Loyalty(), Email() }).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 120).Select(async i =>
        {
            var person = people[random.Next(people.Length)];
            var (a, b) = (person[random.Next(3)], person[random.Next(3)]);
            var purchase = Purchase(a, Now.AddMinutes(-i), 10m + random.Next(20)) with { Identifiers = [a, b] };
            purchase = purchase with { Payload = ((PurchasePayload)purchase.Payload!) with { Total = new Money(currency, 5m + (i % 7)) } };
            await Router.Track(purchase);
        }));

        // The truth: every customer the identifiers lead to now (merged records forward to their survivor), with the
        // rule evaluated on its profile.
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var customers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var identifier in people.SelectMany(p => p))
        {
            if (await Router.Resolve(identifier) is not { } customerId)
            {
                continue;
            }

            var (holder, profile) = await Router.CallCustomer(customerId, c => c.GetProfile());
            customers.Add(holder);
            if (profile!.Transactions.TotalSpend.Where(m => m.CurrencyCode == currency).Sum(m => m.Amount) > 60m)
            {
                expected.Add(holder);
            }
        }

        Assert.True(customers.Count < people.Length * 3, "the random pairs merged some records");
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), (await Members(bigSpenders)).Order());
        Assert.Equal(expected.Count, await bigSpenders.Count());
    }

    [Fact]
    public async Task A_time_driven_exit_happens_with_the_customer_out_of_memory()
    {
        var recentBuyers = await Define("recent buyers", new ExpressionCondition("count(purchase, 7d) >= 1"), new SpendCondition(PrivateCurrency(), Comparison.Less, 1m));
        var who = Loyalty();
        var bought = await Router.Track(Purchase(who, Now.AddDays(-1), 42m));
        Assert.Contains(bought.CustomerId, await Members(recentBuyers));

        // The customer leaves memory: its next transition goes to a wake-up grain.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var wakeups = fixture.Grains.GetGrain<ISegmentWakeupGrain>(SegmentSharding.ShardOf(bought.CustomerId, SegmentSharding.DefaultShardCount));
        Assert.True(await Wait(async () => await wakeups.Pending() > 0), "no wake-up was scheduled");

        // Six days later it is still a recent buyer; past the seventh day it is not, with no event at all.
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(5));
        await Task.Delay(600);
        Assert.Contains(bought.CustomerId, await Members(recentBuyers));
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True(await Wait(async () => !(await Members(recentBuyers)).Contains(bought.CustomerId)), "the customer did not leave the segment on time");
    }

    [Fact]
    public async Task A_time_driven_exit_happens_on_time_while_the_customer_stays_in_memory()
    {
        var recentBuyers = await Define("recent buyers", new ExpressionCondition("count(purchase, 7d) >= 1"), new SpendCondition(PrivateCurrency(), Comparison.Less, 1m));
        var bought = await Router.Track(Purchase(Loyalty(), Now.AddDays(-1), 42m));
        Assert.Contains(bought.CustomerId, await Members(recentBuyers));

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(7));

        Assert.True(await Wait(async () => !(await Members(recentBuyers)).Contains(bought.CustomerId)), "the resident customer did not leave on time");
        var view = await fixture.Grains.GetGrain<ICustomerGrain>(bought.CustomerId).GetProfile();
        Assert.DoesNotContain(recentBuyers.GetPrimaryKeyString(), view!.SegmentIds);
    }

    private static async Task<bool> Wait(Func<Task<bool>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
