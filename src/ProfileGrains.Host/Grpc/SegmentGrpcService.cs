using Microsoft.AspNetCore.Authorization;
using Grpc.Core;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

using ProfileGrains.Host.Security;

namespace ProfileGrains.Host.Grpc;

internal sealed class SegmentGrpcService(
    IGrainFactory grains,
    CustomerReads reads,
    RequestMapper mapper,
    SegmentRulesCache rules,
    Microsoft.Extensions.Options.IOptions<ProfileGrainsOptions> options,
    Microsoft.Extensions.Options.IOptionsMonitor<AuthOptions> auth) : Api.SegmentService.SegmentServiceBase
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int WatchBatch = 500;
    private static readonly TimeSpan WatchPollInterval = TimeSpan.FromMilliseconds(200);
    private readonly int _shards = options.Value.SegmentShards;

    [Authorize(Scopes.SegmentsWrite)]
    public override async Task<Api.DeleteSegmentResponse> DeleteSegment(Api.DeleteSegmentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        SegmentIdOnly(request.SegmentId, v);
        v.ThrowIfAny();
        var deleted = await grains.GetGrain<ISegmentGrain>(request.SegmentId).Delete();
        await rules.RefreshAsync();
        return new Api.DeleteSegmentResponse { Deleted = deleted };
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.CountSegmentMembersResponse> CountSegmentMembers(Api.CountSegmentMembersRequest request, ServerCallContext context)
    {
        var segment = await ExistingSegment(request.SegmentId);
        return new Api.CountSegmentMembersResponse { MemberCount = await segment.Count() };
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.ListSegmentMembersResponse> ListSegmentMembers(Api.ListSegmentMembersRequest request, ServerCallContext context)
    {
        var v = new Violations();
        SegmentIdOnly(request.SegmentId, v);
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            v.Add("page_size", $"must be 0-{MaxPageSize} (0: {DefaultPageSize})");
        }

        var position = MembershipCursor.ParsePage(request.PageToken, _shards);
        if (position is null)
        {
            v.Add("page_token", "is not a token this engine gave (pass next_page_token back unchanged)");
        }

        v.ThrowIfAny();
        await ExistingSegment(request.SegmentId);
        var response = new Api.ListSegmentMembersResponse();
        if (string.IsNullOrEmpty(request.PageToken))
        {
            response.WatchCursor = MembershipCursor.Format(await Heads(request.SegmentId));
        }

        var size = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var (shard, after) = position!.Value;
        while (shard < _shards && response.CustomerIds.Count < size)
        {
            var wanted = size - response.CustomerIds.Count;
            var page = await Shard(request.SegmentId, shard).List(after, wanted);
            response.CustomerIds.AddRange(page);
            if (page.Count < wanted)
            {
                (shard, after) = (shard + 1, null);
            }
            else
            {
                after = page[^1];
            }
        }

        if (shard < _shards)
        {
            response.NextPageToken = MembershipCursor.FormatPage(shard, after);
        }

        return response;
    }

    [Authorize(Scopes.Read)]
    public override async Task WatchSegment(Api.WatchSegmentRequest request, IServerStreamWriter<Api.SegmentMembershipChange> responseStream, ServerCallContext context)
    {
        var v = new Violations();
        SegmentIdOnly(request.SegmentId, v);
        var positions = string.IsNullOrEmpty(request.Cursor) ? null : MembershipCursor.Parse(request.Cursor, _shards);
        if (!string.IsNullOrEmpty(request.Cursor) && positions is null)
        {
            v.Add("cursor", "is not a cursor this engine gave (pass a change's cursor back unchanged)");
        }

        v.ThrowIfAny();
        await ExistingSegment(request.SegmentId);
        positions ??= await Heads(request.SegmentId);
        // The watch is established from here: its headers go now rather than with the first change, so a client (a
        // browser's fetch over JSON included) knows it is watching even while nothing changes.
        await context.WriteResponseHeadersAsync([]);
        var cancelled = context.CancellationToken;
        // Over JSON, headers wait for the body: starting the response sends them now (a no-op when gRPC already has).
        await context.GetHttpContext().Response.StartAsync(cancelled);

        // A stream that delivers nothing for this long is ended (OK): its poll loop and its quota slot go back, and a
        // client still interested reconnects with its last cursor, missing nothing.
        var idleTimeout = auth.CurrentValue.StreamIdleTimeout;
        var lastSent = DateTime.UtcNow;
        while (!cancelled.IsCancellationRequested)
        {
            if (DateTime.UtcNow - lastSent > idleTimeout)
            {
                return;
            }

            var sent = false;
            for (var shard = 0; shard < _shards; shard++)
            {
                var page = await Shard(request.SegmentId, shard).ReadChanges(positions[shard].Sequence, WatchBatch);
                if (page.Epoch != positions[shard].Epoch)
                {
                    throw CursorOutOfRange("the segment's change log restarted after a silo failure, so this cursor no longer names a position in it");
                }

                if (page.Ahead)
                {
                    throw CursorOutOfRange("this cursor is ahead of every change the segment has logged");
                }

                if (page.Truncated)
                {
                    throw CursorOutOfRange("changes after this cursor are no longer kept, or named a member erased since");
                }

                foreach (var change in page.Changes)
                {
                    positions[shard] = positions[shard] with { Sequence = change.Sequence };
                    if (change.IsErased)
                    {
                        continue;
                    }

                    await responseStream.WriteAsync(ViewMapper.MembershipChange(request.SegmentId, shard, change, MembershipCursor.Format(positions)), cancelled);
                    sent = true;
                    lastSent = DateTime.UtcNow;
                }
            }

            if (!sent)
            {
                try
                {
                    await Task.Delay(WatchPollInterval, cancelled);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<ISegmentGrain> ExistingSegment(string segmentId)
    {
        var v = new Violations();
        SegmentIdOnly(segmentId, v);
        v.ThrowIfAny();
        var segment = grains.GetGrain<ISegmentGrain>(segmentId);
        _ = await segment.Get() ?? throw GrpcErrors.NotFound("no such segment");
        return segment;
    }

    /// <summary>A cursor the engine cannot honour: why, and the one way back (re-list, then watch from the list's cursor).</summary>
    private static RpcException CursorOutOfRange(string why) =>
        new(new Status(StatusCode.OutOfRange, why + ": list the members again (ListSegmentMembers) and watch from its watch_cursor"));

    private async Task<ShardPosition[]> Heads(string segmentId) =>
        [.. (await Task.WhenAll(Enumerable.Range(0, _shards).Select(shard => Shard(segmentId, shard).ReadChanges(0, 0)))).Select(p => new ShardPosition(p.Epoch, p.Head))];

    private ISegmentShardGrain Shard(string segmentId, int shard) =>
        grains.GetGrain<ISegmentShardGrain>(SegmentSharding.ShardKey(segmentId, shard));

    [Authorize(Scopes.SegmentsWrite)]
    public override async Task<Api.Segment> PutSegment(Api.PutSegmentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var segment = request.Segment ?? new Api.Segment();
        var (conditions, requiredConsent) = mapper.Segment(segment, v);
        v.ThrowIfAny();

        var info = await grains.GetGrain<ISegmentGrain>(segment.SegmentId).Define(segment.Name.Trim(), conditions, requiredConsent);
        // Customers changed through this silo see the new rule at once; other silos within their refresh interval.
        await rules.RefreshAsync();
        return SegmentMapper.Segment(info);
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.Segment> GetSegment(Api.GetSegmentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        SegmentIdOnly(request.SegmentId, v);
        v.ThrowIfAny();
        var info = await grains.GetGrain<ISegmentGrain>(request.SegmentId).Get() ?? throw GrpcErrors.NotFound("no such segment");
        return SegmentMapper.Segment(info);
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.ListSegmentsResponse> ListSegments(Api.ListSegmentsRequest request, ServerCallContext context)
    {
        await rules.RefreshAsync();
        var infos = await Task.WhenAll(rules.Definitions.Select(d => grains.GetGrain<ISegmentGrain>(d.SegmentId).Get()));
        return new Api.ListSegmentsResponse { Segments = { infos.OfType<SegmentInfo>().Select(SegmentMapper.Segment) } };
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.CustomerSegments> GetCustomerSegments(Api.GetCustomerSegmentsRequest request, ServerCallContext context)
    {
        var (holder, segments) = await reads.Read(request.Customer, "customer", c => c.GetSegments());
        return new Api.CustomerSegments { CustomerId = holder, SegmentIds = { segments } };
    }

    private static void SegmentIdOnly(string segmentId, Violations v) => SegmentDefinition.ValidateId(segmentId, "segment_id", v);
}
