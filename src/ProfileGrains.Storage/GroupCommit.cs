using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// Group commit: writes from every grain of this silo queue up, and a few writers each take whatever is waiting and
/// store it with one statement and one commit. Under load a commit carries hundreds of writes, so durability costs a
/// fraction of a round trip per write. A full queue makes callers wait (back-pressure) instead of growing memory.
/// </summary>
internal sealed class GroupCommit<T> : IAsyncDisposable
    where T : class
{
    private readonly Channel<Pending> _queue;
    private readonly Func<IReadOnlyList<T>, Task<bool[]>> _writeBatch;
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly EngineMetrics? _metrics;

    /// <summary>Traces of group commits: each batch is an activity in the trace of its first write, linked to the others.</summary>
    public static readonly ActivitySource Activities = new("ProfileGrains.Storage");
    private readonly Task[] _writers;
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="writeBatch">Stores a batch in one commit; returns, per item, whether it was written (false: refused as a conflict).</param>
    public GroupCommit(string what, int writers, int maxBatch, int capacity, Func<IReadOnlyList<T>, Task<bool[]>> writeBatch, ILogger logger, EngineMetrics? metrics = null)
    {
        _metrics = metrics;
        _what = what;
        _writeBatch = writeBatch;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(() => ChannelBatches.DrainAsync(_queue.Reader, maxBatch, p => p.Item, WriteBatchAsync)))];
    }

    /// <summary>Completes once the item is committed; throws <see cref="DurableWriteException"/> when it was not.</summary>
    public async ValueTask WriteAsync(T item)
    {
        var pending = new Pending(item);
        try
        {
            await _queue.Writer.WriteAsync(pending, _stopping.Token);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            throw new DurableWriteException($"the {_what} store is shutting down", e);
        }

        await pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue.Writer.TryComplete())
        {
            await Task.WhenAll(_writers).ConfigureAwait(false);
            await _stopping.CancelAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch, List<T> items)
    {
        bool[] written;
        var started = Stopwatch.GetTimestamp();
        using var activity = StartActivity(batch);
        try
        {
            written = await _writeBatch(items).ConfigureAwait(false);
            _metrics?.CountCommit(_what, items.Count, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            _logger.LogWarning(e, "A {What} batch of {Count} writes was not committed; their callers get UNAVAILABLE", _what, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new DurableWriteException($"the {_what} could not be written", e));
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (written[i])
            {
                batch[i].Completion.TrySetResult();
            }
            else
            {
                batch[i].Completion.TrySetException(new DurableWriteException($"the {_what} write conflicts with one already stored"));
            }
        }
    }

    /// <summary>
    /// The commit joins the trace of the request whose write opened the batch (so a request's trace runs down to its SQL)
    /// and links every other write's trace; null when nobody listens.
    /// </summary>
    private Activity? StartActivity(List<Pending> batch)
    {
        if (!Activities.HasListeners())
        {
            return null;
        }

        var links = batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)).ToList();
        var activity = Activities.StartActivity($"{_what} group commit", ActivityKind.Internal, batch[0].Trace, links: links);
        activity?.SetTag("profilegrains.batch.size", batch.Count);
        return activity;
    }

    private sealed class Pending(T item)
    {
        public T Item { get; } = item;

        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

        // Completed by a writer: the awaiting grain resumes on its own scheduler anyway, so no extra thread-pool hop.
        public TaskCompletionSource Completion { get; } = new();
    }
}
