using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using static ProfileGrains.TestSupport.GrainTestData;

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
    public async Task A_route_remembered_before_an_erasure_elsewhere_makes_a_new_customer_instead_of_reviving_the_erased_one()
    {
        var email = Email();
        var loyalty = Loyalty();
        var erased = await Router.Identify([email, loyalty], NoTraits);
        Assert.Equal(erased.CustomerId, await Router.Resolve(email)); // this router now remembers the route

        var done = await fixture.NewErasureCoordinator().Erase(erased.CustomerId, Guid.NewGuid().ToString("N"), "test");

        Assert.Equal((erased.CustomerId, 1, 2), (done!.CustomerId, done.Records, done.Identifiers));
        var after = await Router.Track(PageView(email, ClusterFixture.Clock.GetUtcNow().AddMinutes(-1)));
        Assert.NotEqual(erased.CustomerId, after.CustomerId);
        Assert.Equal(after.CustomerId, await Router.Resolve(email));
        Assert.NotEqual(erased.CustomerId, (await Router.Identify([loyalty], NoTraits)).CustomerId);
        Assert.Null(await fixture.NewErasureCoordinator().Erase(erased.CustomerId, Guid.NewGuid().ToString("N"), "test"));
        await Assert.ThrowsAsync<CustomerErasedException>(() => fixture.Grains.GetGrain<ICustomerGrain>(erased.CustomerId).GetProfile());
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
    public async Task Identifiers_of_two_customers_merge_into_the_older_one_and_stale_references_forward()
    {
        var aEmail = Email();
        var bEmail = Email();
        var a = await Router.Track(Purchase(aEmail, Now.AddMinutes(-3), 10m));
        var b = await Router.Track(Purchase(bEmail, Now.AddMinutes(-2), 15m));

        var both = await Router.Identify([bEmail, aEmail], NoTraits);

        Assert.Equal(a.CustomerId, both.CustomerId);
        Assert.Equal([b.CustomerId], both.MergedCustomerIds);
        Assert.Equal(a.CustomerId, await Router.Resolve(bEmail));
        await Assert.ThrowsAsync<CustomerMergedException>(() => fixture.Grains.GetGrain<ICustomerGrain>(b.CustomerId).GetProfile());
        var (holder, summary) = await Router.CallCustomer(b.CustomerId, c => c.GetCheckoutSummary());
        Assert.Equal(a.CustomerId, holder);
        Assert.Equal(2, summary!.OrderCount);
        Assert.Equal(new Money("EUR", 25m), Assert.Single(summary.LifetimeSpend));
        var history = await fixture.Grains.GetGrain<ICustomerGrain>(a.CustomerId).GetMergeHistory();
        Assert.Equal(b.CustomerId, Assert.Single(history).AbsorbedCustomerId);
    }

    [Fact]
    public async Task A_merge_interrupted_after_its_first_step_is_finished_by_the_next_caller()
    {
        var aEmail = Email();
        var bEmail = Email();
        var a = await Router.Track(Purchase(aEmail, Now.AddMinutes(-3), 10m));
        var b = await Router.Track(Purchase(bEmail, Now.AddMinutes(-2), 15m));

        // The coordinator dies right after the absorbed record started forwarding: nothing absorbed, nothing re-pointed.
        await fixture.Grains.GetGrain<ICustomerGrain>(b.CustomerId).BeginMergeInto(a.CustomerId);
        var later = await Router.Track(PageView(bEmail, Now.AddMinutes(-1)));

        Assert.Equal(a.CustomerId, later.CustomerId);
        var (_, summary) = await Router.CallCustomer(a.CustomerId, c => c.GetCheckoutSummary());
        Assert.Equal(2, summary!.OrderCount);
        Assert.Equal(new Money("EUR", 25m), Assert.Single(summary.LifetimeSpend));
        Assert.Equal(a.CustomerId, (await Router.Explain(bEmail)).CustomerId);
        var merged = await Assert.ThrowsAsync<CustomerMergedException>(() => fixture.Grains.GetGrain<ICustomerGrain>(b.CustomerId).GetProfile());
        Assert.True(merged.Completed);
    }

    [Fact]
    public async Task Concurrent_overlapping_identifies_converge_to_one_customer_per_person_with_nothing_lost()
    {
        // 12 people, each with 4 identifiers; 200 requests each carrying a random pair of one person's identifiers and
        // one purchase, in random order and in parallel. Every person must end as exactly one live customer holding
        // every purchase exactly once.
        var random = new Random(7);
        var people = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 4).Select(_ => Email()).ToArray()).ToArray();
        var requests = Enumerable.Range(0, 200).Select(i =>
        {
            var person = people[random.Next(people.Length)];
            var pair = person.OrderBy(_ => random.Next()).Take(2).ToArray();
            return (person, e: new TrackedEvent($"concurrent-{i}", EventType.Purchase, Now.AddMinutes(-1), Channel.Web, pair,
                new PurchasePayload($"order-{i}", new Money("EUR", 1m), [], null)));
        }).ToArray();

        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => Router.Track(r.e))));

        // Records merged moments ago but not yet re-pointed must not count as new merges (they once quarantined an email here).
        Assert.All(results, r => Assert.Empty(r.Conflicts));

        foreach (var person in people)
        {
            var owners = await Task.WhenAll(person.Select(async id => (await Router.CallCustomer((await Router.Resolve(id))!, c => c.GetProfile())).Result!.CustomerId));
            Assert.Single(owners.Distinct());
            var (_, profile) = await Router.CallCustomer(owners[0], c => c.GetProfile());
            var expected = requests.Count(r => r.person == person);
            Assert.Equal(expected, profile!.Transactions.OrderCount);
            Assert.Equal(expected, profile.Counters.Single(c => c.EventType == EventType.Purchase).Windows[CounterWindow.Lifetime]);
            Assert.Equal(person.OrderBy(i => i.Value), profile.Identifiers.Where(person.Contains).OrderBy(i => i.Value));
        }
    }

    [Fact]
    public async Task A_merge_already_done_whose_identifiers_still_name_the_old_record_is_not_counted_again()
    {
        // Five records were merged into the survivor but their emails were not re-pointed yet (the coordinators died
        // after the tombstone). Requests that bring the survivor's card with one of those emails merge nobody new, so
        // they must not spend the card's daily merge budget (5): a real sixth record still merges afterwards.
        var card = Loyalty();
        var survivor = (await Router.Identify([card], NoTraits)).CustomerId;
        foreach (var _ in Enumerable.Range(0, 5))
        {
            var oldEmail = Email();
            var old = (await Router.Identify([oldEmail], NoTraits)).CustomerId;
            var copy = await fixture.Grains.GetGrain<ICustomerGrain>(old).BeginMergeInto(survivor);
            await fixture.Grains.GetGrain<ICustomerGrain>(survivor).Absorb(copy, new MergeRecord($"{old}>{survivor}", old, Now, oldEmail, Survivorship.SurvivorRule));
            await fixture.Grains.GetGrain<ICustomerGrain>(old).CompleteMerge();

            var rejoined = await Router.Identify([card, oldEmail], NoTraits);

            Assert.Equal(survivor, rejoined.CustomerId);
            Assert.Empty(rejoined.Conflicts);
            Assert.Equal(survivor, await Router.Resolve(oldEmail));
        }

        var newcomerPhone = new CustomerIdentifier(IdentifierType.Phone, $"+336{Random.Shared.Next(10_000_000, 99_999_999)}");
        var newcomer = (await Router.Identify([newcomerPhone], NoTraits)).CustomerId;
        var merged = await Router.Identify([card, newcomerPhone], NoTraits);

        Assert.Empty(merged.Conflicts);
        Assert.Contains(newcomer, merged.MergedCustomerIds.Append(merged.CustomerId));
        Assert.Equal(merged.CustomerId, (await Router.Explain(newcomerPhone)).CustomerId);
        Assert.Equal(merged.CustomerId, (await Router.Explain(card)).CustomerId);
    }

    [Fact]
    public async Task A_known_customer_losing_a_claim_race_merges_with_the_winner_instead_of_splitting_the_person()
    {
        // A request bringing a known identifier and a new one can lose the new one's claim to a concurrent request that
        // creates a customer for it. It used to switch to that customer and leave the known one apart: the person
        // split in two live records (8 times in 40 rounds of this run before the fix, and the cause of a flaky CI).
        var splits = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            var random = new Random(round);
            var people = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 4).Select(_ => Email()).ToArray()).ToArray();
            var requests = Enumerable.Range(0, 200).Select(i =>
            {
                var pair = people[random.Next(people.Length)].OrderBy(_ => random.Next()).Take(2).ToArray();
                return new TrackedEvent($"race-{round}-{i}", EventType.Purchase, Now.AddMinutes(-1), Channel.Web, pair,
                    new PurchasePayload($"race-order-{round}-{i}", new Money("EUR", 1m), [], null));
            }).ToArray();

            var results = await Task.WhenAll(requests.Select(e => Task.Run(() => Router.Track(e))));

            Assert.All(results, r => Assert.Empty(r.Conflicts));
            foreach (var person in people)
            {
                var routes = (await Task.WhenAll(person.Select(Router.Resolve))).OfType<string>();
                var live = await Task.WhenAll(routes.Select(async id => (await Router.CallCustomer(id, c => c.GetIdentifiers())).CustomerId));
                if (live.Distinct().Count() > 1)
                {
                    splits.Add($"round {round}: {string.Join(", ", live.Distinct())}");
                }
            }
        }

        Assert.Empty(splits);
    }

    [Fact]
    public async Task After_an_unmerge_a_silo_still_routing_by_a_moved_identifier_reaches_the_restored_customer()
    {
        var email = Email();
        var card = Loyalty();
        var a = (await Router.Identify([email], NoTraits)).CustomerId;
        var b = (await Router.Identify([card], NoTraits)).CustomerId;
        var survivor = (await Router.Identify([email, card], NoTraits)).CustomerId;
        var restoredId = survivor == a ? b : a;
        var otherSilo = fixture.NewRouter();
        Assert.Equal(survivor, await otherSilo.Resolve(card)); // learnt while the two were one

        var (result, refusal) = await Router.Unmerge($"{restoredId}>{survivor}", "test");

        Assert.Null(refusal);
        Assert.Equal(restoredId, result!.RestoredCustomerId);
        Assert.Equal(survivor, await otherSilo.Resolve(card)); // still the old route in that silo's cache
        var moved = await Assert.ThrowsAsync<IdentifiersMovedException>(() =>
            fixture.Grains.GetGrain<ICustomerGrain>(survivor).Track(PageView(card, Now.AddMinutes(-1)), [card]));
        Assert.Equal(restoredId, moved.MovedTo);

        var tracked = await otherSilo.Track(PageView(card, Now.AddMinutes(-1)));

        Assert.Equal(restoredId, tracked.CustomerId);
        Assert.Equal(restoredId, await otherSilo.Resolve(card)); // and the route is repaired
        var (_, profile) = await Router.CallCustomer(restoredId, c => c.GetProfile());
        Assert.Equal(1, profile!.Counters.Single(c => c.EventType == EventType.PageView).Windows[CounterWindow.Lifetime]);
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
