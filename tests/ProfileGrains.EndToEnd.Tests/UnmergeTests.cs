using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class UnmergeTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    [Fact]
    public async Task A_reversed_merge_gives_back_the_absorbed_customer_with_its_own_events_and_those_that_came_through_its_identifiers()
    {
        var emailOfA = Email("unmerge-a");
        var cardOfB = Loyalty();
        var emailOfB = Email("unmerge-b");
        var a = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { emailOfA } })).CustomerId;
        await Track(EventType.PageView, 2, emailOfA);
        await Client.TrackAsync(new TrackRequest { Event = Purchase(emailOfA, 10m, DateTimeOffset.UtcNow.AddMinutes(-5)) });
        var b = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { cardOfB, emailOfB } })).CustomerId;
        await Track(EventType.PageView, 3, cardOfB);
        await Client.TrackAsync(new TrackRequest { Event = Purchase(emailOfB, 5m, DateTimeOffset.UtcNow.AddMinutes(-4)) });

        // A till clerk scans B's card for A: the two records become one.
        var merged = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { emailOfA, cardOfB } });
        Assert.Equal(a, merged.CustomerId);
        Assert.Equal([b], merged.MergedCustomerIds);

        // Meanwhile both people go on: B through their own identifiers, A through theirs, one event names both.
        await Track(EventType.PageView, 4, cardOfB);
        await Track(EventType.PageView, 1, emailOfB);
        await Track(EventType.PageView, 2, emailOfA);
        await Track(EventType.PageView, 1, emailOfA, cardOfB);
        Assert.Equal(2 + 3 + 4 + 1 + 2 + 1, Count(await Profile(a), EventType.PageView, CounterWindow.Lifetime));

        var mergeId = (await Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = cardOfB })).Merges.Single(m => m.AbsorbedCustomerId == b).MergeId;
        var response = await Client.UnmergeCustomersAsync(new UnmergeCustomersRequest { MergeId = mergeId, Reason = "two people: a card scanned for the wrong customer" });

        Assert.Equal((a, b), (response.SurvivorCustomerId, response.RestoredCustomerId));
        Assert.Equal([cardOfB.Value, emailOfB.Value], response.MovedIdentifiers.Select(i => i.Value).OrderBy(v => v == cardOfB.Value ? 0 : 1));
        Assert.Equal(b, (await Client.LookupAsync(new LookupRequest { Identifier = cardOfB })).CustomerId);
        Assert.Equal(b, (await Client.LookupAsync(new LookupRequest { Identifier = emailOfB })).CustomerId);
        Assert.Equal(a, (await Client.LookupAsync(new LookupRequest { Identifier = emailOfA })).CustomerId);

        // Exact counters on both sides: each its own events, plus what came through its own identifiers since.
        var restored = await Profile(b);
        var survivor = await Profile(a);
        Assert.Equal(3 + 4 + 1, Count(restored, EventType.PageView, CounterWindow.Lifetime));
        Assert.Equal(2 + 2 + 1, Count(survivor, EventType.PageView, CounterWindow.Lifetime));
        Assert.Equal((1, 5), (restored.Transactions.OrderCount, restored.Transactions.TotalSpend.Single().Units));
        Assert.Equal((1, 10), (survivor.Transactions.OrderCount, survivor.Transactions.TotalSpend.Single().Units));
        Assert.Equal([emailOfA.Value], survivor.Identifiers.Select(i => i.Value));
        Assert.Null(restored.MergedAway);

        // Both histories show the merge and its reversal, with the reason.
        foreach (var identifier in new[] { emailOfA, cardOfB })
        {
            var merges = (await Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = identifier })).Merges;
            Assert.Contains(merges, m => m.MergeId == mergeId);
            Assert.Contains(merges, m => m.MergeId == mergeId + "/undone" && m.Rule == "unmerge: two people: a card scanned for the wrong customer");
        }

        // New events go to each person, and the reversal is not done twice.
        await Track(EventType.PageView, 1, cardOfB);
        Assert.Equal(9, Count(await Profile(b), EventType.PageView, CounterWindow.Lifetime));
        var again = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Client.UnmergeCustomersAsync(new UnmergeCustomersRequest { MergeId = mergeId, Reason = "again" }).ResponseAsync);
        Assert.Contains("already reversed", again.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_latest_merge_can_be_reversed_and_malformed_requests_are_refused()
    {
        var (first, second, third) = (Email("latest-1"), Email("latest-2"), Email("latest-3"));
        var survivor = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { first } })).CustomerId;
        var b = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { second } })).CustomerId;
        var c = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { third } })).CustomerId;
        await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { first, second } });
        await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { first, third } });

        var older = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Unmerge($"{b}>{survivor}"));
        Assert.Contains($"{c}>{survivor}", older.Status.Detail, StringComparison.Ordinal);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Unmerge($"{c}>{b}"));
        await RpcAssert.InvalidArgument(() => Unmerge("not a merge id"), "merge_id");
        await RpcAssert.InvalidArgument(() => Client.UnmergeCustomersAsync(new UnmergeCustomersRequest { MergeId = $"{c}>{survivor}" }).ResponseAsync, "reason");

        await Unmerge($"{c}>{survivor}");
        Assert.Equal(c, (await Client.LookupAsync(new LookupRequest { Identifier = third })).CustomerId);

        // The earlier merge was built on before, so it stays final.
        var final = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Unmerge($"{b}>{survivor}"));
        Assert.Contains("final", final.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(survivor, (await Client.LookupAsync(new LookupRequest { Identifier = second })).CustomerId);
    }

    private Task Unmerge(string mergeId) => Client.UnmergeCustomersAsync(new UnmergeCustomersRequest { MergeId = mergeId, Reason = "test" }).ResponseAsync;

    private async Task Track(EventType type, int times, params Identifier[] who)
    {
        for (var i = 0; i < times; i++)
        {
            await Client.TrackAsync(new TrackRequest { Event = Event(type, who) });
        }
    }

    private async Task<Profile> Profile(string customerId) => await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
}
