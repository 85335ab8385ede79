using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using static ProfileGrains.Grains.Tests.GrainTestData;

namespace ProfileGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ProfileRouterTests(ClusterFixture fixture)
{
    private ProfileRouter Router => fixture.Router;

    private DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    [Fact]
    public async Task Unknown_identifiers_create_one_customer_and_known_ones_reach_it_again()
    {
        var email = Email();
        var loyalty = Loyalty();

        var first = await Router.Identify([email], NoTraits);
        var second = await Router.Identify([email, loyalty], NoTraits);
        var third = await Router.Identify([loyalty], NoTraits);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.CustomerId, second.CustomerId);
        Assert.Equal(first.CustomerId, third.CustomerId);
        Assert.Equal(first.CustomerId, await Router.Resolve(loyalty));
        var profile = await fixture.Grains.GetGrain<ICustomerGrain>(first.CustomerId).GetProfile();
        Assert.Equal([email, loyalty], profile!.Identifiers.OrderBy(i => i.Type));
    }

    [Fact]
    public async Task Parallel_first_sightings_of_one_identifier_create_exactly_one_customer()
    {
        var email = Email();

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Router.Identify([email], NoTraits)));

        Assert.Single(results.Select(r => r.CustomerId).Distinct());
        Assert.Single(results, r => r.Created);
    }

    [Fact]
    public async Task Identifiers_of_two_customers_are_reported_as_a_conflict_and_neither_changes()
    {
        var a = await Router.Identify([Email()], NoTraits);
        var bEmail = Email();
        var b = await Router.Identify([bEmail], NoTraits);
        var aEmail = (await fixture.Grains.GetGrain<ICustomerGrain>(a.CustomerId).GetProfile())!.Identifiers[0];

        var both = await Router.Identify([aEmail, bEmail], NoTraits);

        var conflict = Assert.Single(both.Conflicts);
        Assert.NotEqual(conflict.OwnerCustomerId, both.CustomerId);
        Assert.Contains(both.CustomerId, new[] { a.CustomerId, b.CustomerId });
        Assert.Equal(a.CustomerId, await Router.Resolve(aEmail));
        Assert.Equal(b.CustomerId, await Router.Resolve(bEmail));
        var bProfile = await fixture.Grains.GetGrain<ICustomerGrain>(b.CustomerId).GetProfile();
        Assert.DoesNotContain(aEmail, bProfile!.Identifiers);
    }

    [Fact]
    public async Task A_retried_event_is_counted_once()
    {
        var email = Email();
        var e = PageView(email, Now.AddMinutes(-1));

        var first = await Router.Track(e);
        var retry = await Router.Track(e);

        Assert.Equal(TrackOutcome.Accepted, first.Outcome);
        Assert.Equal(TrackOutcome.Duplicate, retry.Outcome);
        var profile = await fixture.Grains.GetGrain<ICustomerGrain>(first.CustomerId).GetProfile();
        var counter = Assert.Single(profile!.Counters);
        Assert.Equal(1, counter.Windows[CounterWindow.Lifetime]);
    }

    [Fact]
    public async Task A_batch_returns_one_result_per_event_in_order()
    {
        var alice = Email();
        var bob = Email();
        var events = new[]
        {
            PageView(alice, Now.AddMinutes(-3)),
            Purchase(bob, Now.AddMinutes(-2), 20m),
            PageView(alice, Now.AddMinutes(-1), eventId: "dup-" + alice.Value),
            PageView(alice, Now.AddMinutes(-1), eventId: "dup-" + alice.Value),
        };

        var results = await Router.TrackBatch(events);

        Assert.Equal(4, results.Count);
        Assert.Equal(results[0].CustomerId, results[2].CustomerId);
        Assert.NotEqual(results[0].CustomerId, results[1].CustomerId);
        Assert.Equal(TrackOutcome.Duplicate, results[3].Outcome);
        var bobProfile = await fixture.Grains.GetGrain<ICustomerGrain>(results[1].CustomerId).GetCheckoutSummary();
        Assert.Equal(1, bobProfile!.OrderCount);
    }
}
