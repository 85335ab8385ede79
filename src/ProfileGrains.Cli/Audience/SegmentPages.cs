using System.Runtime.CompilerServices;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Audience;

/// <summary>A segment's member list, page after page (the first page carries the watch cursor taken before listing).</summary>
public static class SegmentPages
{
    public static async IAsyncEnumerable<ListSegmentMembersResponse> Read(
        SegmentService.SegmentServiceClient segments, string segmentId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var token = string.Empty;
        do
        {
            var page = await segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId, PageSize = 1000, PageToken = token }, cancellationToken: ct);
            yield return page;
            token = page.NextPageToken;
        }
        while (token.Length > 0);
    }
}
