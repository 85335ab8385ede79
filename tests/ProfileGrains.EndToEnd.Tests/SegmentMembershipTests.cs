using System.Globalization;
using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>Membership at scale through gRPC: back-fill, count, paged list, watch with resumable cursors, delete.</summary>
[Collection(SegmentEngineCollection.Name)]
public sealed class SegmentMembershipTests(SegmentEngineFixture engine)
{
    private SegmentService.SegmentServiceClient Segments => engine.Segments;

    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private static string SegmentId() => "seg_" + Guid.NewGuid().ToString("N");

    /// <summary>A store id no other test uses: a rule on it matches only this test's customers.</summary>
    private static Segment StoreBuyers(string segmentId, string store) => new()
    {
        SegmentId = segmentId,
        Name = "Buyers of store " + store,
        Rule = new SegmentRule { AllOf = { new Condition { Expression = "orders >= 1" } } },
    };

    private async Task<List<string>> BuyersOfPrivateCurrency(int count, string currency)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var who = Loyalty();
            ids.Add((await Profiles.TrackAsync(new TrackRequest { Event = Purchase(who, 10m + i, Now().AddDays(-1), currency: currency) })).CustomerId);
        }

        return ids;
    }

    private static Segment SpendersOf(string segmentId, string currency) => new()
    {
        SegmentId = segmentId,
        Name = "Spenders in " + currency,
        Rule = new SegmentRule { AllOf = { new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Gt, Amount = 0 } } } },
    };

    private static string PrivateCurrency() => "X" + (char)('A' + Random.Shared.Next(26)) + (char)('A' + Random.Shared.Next(26));

    private async Task<Segment> BackfillDone(string segmentId)
    {
        Segment? segment = null;
        Assert.True(await Eventually(async () =>
        {
            segment = await Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId });
            return segment.Backfill.Status == SegmentBackfill.Types.Status.Done;
        }, TimeSpan.FromSeconds(30)), "the back-fill did not finish");
        return segment!;
    }

    [Fact]
    public async Task A_new_segment_is_back_filled_over_customers_that_existed_before_it()
    {
        var currency = PrivateCurrency();
        var existing = await BuyersOfPrivateCurrency(7, currency);
        var segmentId = SegmentId();

        var created = await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, currency) });
        Assert.Equal(created.Version, created.Backfill.Version);

        var done = await BackfillDone(segmentId);
        Assert.True(done.Backfill.CustomersScanned >= existing.Count);
        Assert.True(done.Backfill.CustomersTotal >= done.Backfill.CustomersScanned);
        Assert.Equal(existing.Count, (await Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount);
        foreach (var customerId in existing)
        {
            var segments = await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(customerId) });
            Assert.Contains(segmentId, segments.SegmentIds);
        }

        // A changed rule is a new version, back-filled again: nobody spends over 1,000,000 in this currency.
        var stricter = SpendersOf(segmentId, currency);
        stricter.Rule.AllOf[0].Spend.Amount = 1_000_000;
        var changed = await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = stricter });
        Assert.Equal(created.Version + 1, changed.Version);
        await BackfillDone(segmentId);
        Assert.True(await Eventually(async () =>
            (await Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount == 0));
    }

    [Fact]
    public async Task Members_are_listed_page_by_page_exactly_once()
    {
        var currency = PrivateCurrency();
        var segmentId = SegmentId();
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, currency) });
        await BackfillDone(segmentId);
        var members = await BuyersOfPrivateCurrency(23, currency);

        var listed = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId, PageSize = 5, PageToken = token });
            Assert.True(page.CustomerIds.Count <= 5);
            Assert.Equal(pages == 0, page.WatchCursor.Length > 0);
            listed.AddRange(page.CustomerIds);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 100);

        Assert.Equal(members.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct().Count());
    }

    [Fact]
    public async Task The_watch_stream_is_ordered_and_resumes_exactly_after_the_last_cursor()
    {
        var currency = PrivateCurrency();
        var segmentId = SegmentId();
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, currency) });
        await BackfillDone(segmentId);
        var start = await Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId });

        // First connection: read the first three changes, then drop the connection.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = start.WatchCursor }, cancellationToken: cancel.Token);
        var joined = await BuyersOfPrivateCurrency(6, currency);
        var seen = new List<SegmentMembershipChange>();
        while (seen.Count < 3 && await first.ResponseStream.MoveNext(cancel.Token))
        {
            seen.Add(first.ResponseStream.Current);
        }

        first.Dispose();

        // Meanwhile more changes happen: one of the first members leaves (the rule now needs more spend).
        var stricter = SpendersOf(segmentId, currency);
        stricter.Rule.AllOf[0].Spend.Amount = 12.5;
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = stricter });
        await BackfillDone(segmentId);

        var second = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = seen[^1].Cursor }, cancellationToken: cancel.Token);
        var expectedCount = 6 + 3; // six entries, then customers spending 10, 11 and 12 leave
        while (seen.Count < expectedCount && await second.ResponseStream.MoveNext(cancel.Token))
        {
            seen.Add(second.ResponseStream.Current);
        }

        second.Dispose();
        Assert.Equal(expectedCount, seen.Count);
        Assert.Equal(joined.Order(StringComparer.Ordinal), seen.Where(c => c.Entered).Select(c => c.CustomerId).Order(StringComparer.Ordinal));
        Assert.Equal(joined.Take(3).Order(StringComparer.Ordinal), seen.Where(c => !c.Entered).Select(c => c.CustomerId).Order(StringComparer.Ordinal));
        // No change twice, and within each shard in sequence order (so per customer in order).
        Assert.Equal(seen.Count, seen.Select(c => (c.Shard, c.Sequence)).Distinct().Count());
        foreach (var shard in seen.GroupBy(c => c.Shard))
        {
            Assert.Equal(shard.Select(c => c.Sequence).Order(), shard.Select(c => c.Sequence));
        }

        foreach (var customer in seen.GroupBy(c => c.CustomerId).Where(g => g.Count() == 2))
        {
            Assert.Equal([true, false], customer.Select(c => c.Entered));
        }
    }

    [Fact]
    public async Task A_deleted_segment_is_gone_and_its_members_leave()
    {
        var currency = PrivateCurrency();
        var segmentId = SegmentId();
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, currency) });
        await BackfillDone(segmentId);
        var members = await BuyersOfPrivateCurrency(3, currency);
        Assert.Equal(3, (await Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount);

        Assert.True((await Segments.DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = segmentId })).Deleted);
        Assert.False((await Segments.DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = segmentId })).Deleted);

        await RpcAssert.NotFound(() => Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = segmentId }).ResponseAsync);
        await RpcAssert.NotFound(() => Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId }).ResponseAsync);
        var list = await Segments.ListSegmentsAsync(new ListSegmentsRequest());
        Assert.DoesNotContain(list.Segments, s => s.SegmentId == segmentId);

        // Its former members no longer list it, without any change of theirs.
        foreach (var member in members)
        {
            var own = await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(member) });
            Assert.DoesNotContain(segmentId, own.SegmentIds);
        }

        // Customers changed afterwards do not join it.
        var who = Loyalty();
        var later = await Profiles.TrackAsync(new TrackRequest { Event = Purchase(who, 50m, Now().AddMinutes(-1), currency: currency) });
        var segments = await Segments.GetCustomerSegmentsAsync(new GetCustomerSegmentsRequest { Customer = ById(later.CustomerId) });
        Assert.DoesNotContain(segmentId, segments.SegmentIds);

        // Re-created with the same id: a new version, and back-filled from scratch.
        var again = await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, currency) });
        Assert.True(again.Version > 1);
        await BackfillDone(segmentId);
        Assert.Equal(members.Count + 1, (await Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount);
    }

    [Fact]
    public async Task Bad_membership_requests_are_refused_with_the_field_and_reason()
    {
        var segmentId = SegmentId();
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, PrivateCurrency()) });

        await RpcAssert.InvalidArgument(() => Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = "bad id!" }).ResponseAsync, "segment_id");
        await RpcAssert.InvalidArgument(() => Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId, PageSize = 5000 }).ResponseAsync, "page_size");
        await RpcAssert.InvalidArgument(() => Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId, PageToken = "not-a-token" }).ResponseAsync, "page_token");
        await RpcAssert.InvalidArgument(() => Segments.DeleteSegmentAsync(new DeleteSegmentRequest()).ResponseAsync, "segment_id");
        await RpcAssert.NotFound(() => Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = SegmentId() }).ResponseAsync);

        var badCursor = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = "dzE6MSwy" });
        var e = await Assert.ThrowsAsync<RpcException>(() => badCursor.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(RpcAssert.FieldViolations(e), f => f.Field == "cursor");

        var unknown = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = SegmentId() });
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => unknown.ResponseStream.MoveNext(CancellationToken.None))).StatusCode);
    }

    [Fact]
    public async Task A_watch_cursor_ahead_of_the_log_or_from_another_run_of_it_is_refused_with_out_of_range()
    {
        var currency = PrivateCurrency();
        var segmentId = SegmentId();
        await Segments.PutSegmentAsync(new PutSegmentRequest { Segment = SpendersOf(segmentId, currency) });
        await BackfillDone(segmentId);
        await BuyersOfPrivateCurrency(2, currency);
        var listed = await Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId });
        var positions = WatchPositions(listed.WatchCursor);

        // A client that made up (or corrupted) a position one past what the first shard ever logged.
        var ahead = positions.ToArray();
        ahead[0] = (ahead[0].Epoch, ahead[0].Sequence + 1);
        await AssertOutOfRange(WatchCursor(ahead), "ahead");

        // A cursor kept from before a silo failure names a log that no longer exists.
        var otherRun = positions.ToArray();
        otherRun[^1] = (otherRun[^1].Epoch + 1, otherRun[^1].Sequence);
        await AssertOutOfRange(WatchCursor(otherRun), "restarted");

        // The cursor as given still works.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = listed.WatchCursor }, cancellationToken: cancel.Token);
        var joined = await BuyersOfPrivateCurrency(1, currency);
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(joined[0], watch.ResponseStream.Current.CustomerId);

        async Task AssertOutOfRange(string cursor, string reason)
        {
            using var call = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = cursor });
            var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.OutOfRange, e.StatusCode);
            Assert.Contains(reason, e.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("ListSegmentMembers", e.Status.Detail, StringComparison.Ordinal);
        }
    }

    // The cursor is opaque to clients; the test knows its layout only to forge the positions a real client could hold.
    private static (long Epoch, long Sequence)[] WatchPositions(string cursor)
    {
        var text = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor));
        Assert.StartsWith("w2:", text, StringComparison.Ordinal);
        return [.. text[3..].Split(',').Select(p => p.Split('.')).Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture)))];
    }

    private static string WatchCursor((long Epoch, long Sequence)[] positions) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes("w2:" + string.Join(',', positions.Select(p => $"{p.Epoch}.{p.Sequence}"))));
}
