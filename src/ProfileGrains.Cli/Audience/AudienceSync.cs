using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Audience;

/// <summary>
/// Keeps an outside copy of a segment up to date: the current members as "enter" changes, then every enter and exit
/// as WatchSegment delivers it, appended to a JSON Lines file or POSTed to a webhook (retried with back-off until it
/// answers 2xx). The cursor of the last change delivered is kept in a file and written after each delivery, so a
/// restarted sync resumes exactly after it: nothing is lost, and a change is delivered twice only if the process dies
/// between delivering it and saving its cursor (each change carries its cursor, for a receiver to recognise it). A
/// cursor the engine can no longer honour starts over with a fresh member list, marked "resync".
/// </summary>
public sealed class AudienceSync(SegmentService.SegmentServiceClient segments, IAudienceSink sink, string cursorPath)
{
    public async Task RunAsync(string segmentId, CancellationToken ct)
    {
        var cursor = File.Exists(cursorPath) ? (await File.ReadAllTextAsync(cursorPath, ct)).Trim() : null;
        while (!ct.IsCancellationRequested)
        {
            cursor ??= await Snapshot(segmentId, resync: false, ct);
            try
            {
                using var watch = segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = cursor }, cancellationToken: ct);
                await foreach (var change in watch.ResponseStream.ReadAllAsync(ct))
                {
                    await sink.DeliverAsync(new AudienceChange(change.CustomerId, change.Entered ? "enter" : "exit", change.At?.ToDateTimeOffset(), change.Cursor), ct);
                    cursor = change.Cursor;

                    // Saved even when stopping: the change is delivered, so the next run must start after it.
                    await SaveCursor(cursor);
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                throw new OperationCanceledException("the sync was stopped", e, ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.OutOfRange)
            {
                cursor = await Snapshot(segmentId, resync: true, ct);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Every current member as an "enter", then the list's watch cursor (taken before listing, so nothing falls between).</summary>
    private async Task<string> Snapshot(string segmentId, bool resync, CancellationToken ct)
    {
        string? watchFrom = null;
        await foreach (var page in SegmentPages.Read(segments, segmentId, ct))
        {
            watchFrom ??= page.WatchCursor;
            foreach (var member in page.CustomerIds)
            {
                await sink.DeliverAsync(new AudienceChange(member, "enter", null, null, resync ? "resync" : "snapshot"), ct);
            }
        }

        await SaveCursor(watchFrom!);
        return watchFrom!;
    }

    private async Task SaveCursor(string cursor)
    {
        var temporary = cursorPath + ".tmp";
        await File.WriteAllTextAsync(temporary, cursor, CancellationToken.None);
        File.Move(temporary, cursorPath, overwrite: true);
    }
}
