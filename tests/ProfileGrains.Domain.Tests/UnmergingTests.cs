using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class UnmergingTests
{
    private static readonly CustomerIdentifier AliceEmail = new(IdentifierType.Email, "alice@example.com");
    private static readonly CustomerIdentifier BobCard = new(IdentifierType.LoyaltyId, "LOYBOB");
    private static readonly CustomerIdentifier BobNewPhone = new(IdentifierType.Phone, "+33612345678");
    private static readonly MergeRecord Merge = new("cust-2>cust-1", "cust-2", Now, BobCard, Survivorship.SurvivorRule);

    [Fact]
    public void Each_change_since_the_merge_goes_back_to_the_record_whose_identifiers_brought_it()
    {
        var merged = Alice();
        merged.Absorb(Bob(), Merge, Now);
        merged.StartUndo(new MergeUndo(Merge, Alice(), Bob()));
        Track(merged, "bob-1", BobCard);
        Track(merged, "bob-2", BobCard, BobNewPhone);   // a new identifier first seen beside Bob's card goes with Bob
        Track(merged, "alice-1", AliceEmail);
        Track(merged, "both-1", AliceEmail, BobCard);  // naming both: stays with the survivor
        Assert.Equal(6, merged.Counters.Count(EventType.PageView, CounterWindow.Lifetime, Now));

        var restore = Unmerging.Split(merged.MergeUndo!, merged, "wrong card scanned", Now.AddMinutes(5));
        var survivor = merged.MergeUndo!.SurvivorBefore;

        Assert.Equal("cust-2", restore.RestoredCustomerId);
        Assert.Equal(1 + 2, restore.Restored.Counters.Count(EventType.PageView, CounterWindow.Lifetime, Now));
        Assert.Equal(1 + 1 + 1, survivor.Counters.Count(EventType.PageView, CounterWindow.Lifetime, Now));
        Assert.Equal([BobCard, BobNewPhone], restore.Restored.Identifiers);
        Assert.Equal([BobCard, BobNewPhone], restore.Moved);
        Assert.Equal([AliceEmail], survivor.Identifiers);
        Assert.Equal(["cust-2>cust-1", "cust-2>cust-1/undone"], survivor.MergeHistory.Select(m => m.MergeId));
        Assert.Equal("unmerge: wrong card scanned", restore.Unmerge.Rule);
        // The rebuilt survivor carries on the merged record's journal and segment bookkeeping, and keeps no undo data.
        Assert.Equal((merged.JournalSequence, merged.MembershipVersion), (survivor.JournalSequence, survivor.MembershipVersion));
        Assert.Null(survivor.MergeUndo);
        Assert.Null(restore.Restored.MergeUndo);
    }

    [Fact]
    public void Erasing_a_person_takes_the_records_merged_into_theirs_and_the_identifiers_kept_for_undo_but_not_a_record_given_back()
    {
        var merged = Alice();
        merged.Absorb(Bob(), Merge, Now);
        merged.StartUndo(new MergeUndo(Merge, Alice(), Bob()));

        var plan = ErasurePlan.For(merged);

        Assert.Equal(["cust-2"], plan.MergedAwayCustomerIds);
        Assert.Equal([AliceEmail, BobCard], plan.Identifiers.OrderBy(i => i.Type));
        Assert.Equal(["cust-1", "cust-2"], plan.Records);

        var restore = Unmerging.Split(merged.MergeUndo!, merged, "wrong card scanned", Now.AddMinutes(5));
        var survivor = merged.MergeUndo!.SurvivorBefore;
        survivor.BeginRestore(restore);
        Assert.Equal("cust-2>cust-1", ErasurePlan.For(survivor).UnmergeUnderWay);
        survivor.CompleteRestore();

        var afterUnmerge = ErasurePlan.For(survivor);
        Assert.Empty(afterUnmerge.MergedAwayCustomerIds); // cust-2 is Bob again, not Alice's to erase
        Assert.Equal([AliceEmail], afterUnmerge.Identifiers);
    }

    [Fact]
    public void Only_the_latest_merge_within_its_window_can_be_reversed()
    {
        var merged = Alice();
        merged.Absorb(Bob(), Merge, Now);
        merged.StartUndo(new MergeUndo(Merge, Alice(), Bob()));

        Assert.Null(merged.WhyNotUnmerge(Merge.MergeId, Now.AddDays(29)));
        Assert.Contains("30 days", merged.WhyNotUnmerge(Merge.MergeId, Now.AddDays(31)), StringComparison.Ordinal);
        Assert.Contains("no such merge", merged.WhyNotUnmerge("cust-9>cust-1", Now), StringComparison.Ordinal);

        var later = new MergeRecord("cust-3>cust-1", "cust-3", Now.AddMinutes(1), null, Survivorship.SurvivorRule);
        merged.StartUndo(new MergeUndo(later, Alice(), NewProfile("cust-3")));
        Assert.Contains("latest merge (cust-3>cust-1)", merged.WhyNotUnmerge(Merge.MergeId, Now.AddMinutes(2)), StringComparison.Ordinal);

        for (var i = 0; i <= MergeUndo.MaxChanges; i++)
        {
            Track(merged, $"e-{i}", AliceEmail);
        }

        Assert.Null(merged.MergeUndo);
        Assert.Contains("final", merged.WhyNotUnmerge(Merge.MergeId, Now.AddMinutes(2)), StringComparison.Ordinal);
    }

    private static CustomerProfile Alice()
    {
        var alice = NewProfile("cust-1");
        alice.AddIdentifiers([AliceEmail], Now);
        alice.Apply(PageView("alice-0", Now.AddMinutes(-10)), Now);
        return alice;
    }

    private static CustomerProfile Bob()
    {
        var bob = NewProfile("cust-2");
        bob.AddIdentifiers([BobCard], Now);
        bob.Apply(PageView("bob-0", Now.AddMinutes(-9)), Now);
        return bob;
    }

    private static void Track(CustomerProfile profile, string eventId, params CustomerIdentifier[] linked) =>
        CustomerChanges.Apply(profile, profile.CustomerId, new TrackChange(Now, PageView(eventId, Now.AddMinutes(-1)), linked));
}
