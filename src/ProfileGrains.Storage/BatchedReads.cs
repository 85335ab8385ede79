using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ProfileGrains.Storage;

/// <summary>
/// Group commit's twin for reads: reads from every grain of this silo queue up, and a few readers each take whatever is
/// waiting and read it with one statement. Alone, a read costs what it did; when many customers come back into memory at
/// once (after a restart, or a crowd of customers not seen for a while), they share statements and round trips.
/// </summary>
internal sealed class BatchedReads<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<IReadOnlyList<TRequest>, Task<TResult[]>> _readBatch;
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly Task[] _readers;

    /// <param name="readBatch">Reads every request of a batch with one statement; returns one result per request, in order.</param>
    public BatchedReads(string what, int readers, int maxBatch, Func<IReadOnlyList<TRequest>, Task<TResult[]>> readBatch, ILogger logger)
    {
        _what = what;
        _readBatch = readBatch;
        _logger = logger;
        _readers = [.. Enumerable.Range(0, readers).Select(_ => Task.Run(() => ChannelBatches.DrainAsync(_queue.Reader, maxBatch, p => p.Request, ReadBatchAsync)))];
    }

    public Task<TResult> ReadAsync(TRequest request)
    {
        var pending = new Pending(request);
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<TResult>(new InvalidOperationException($"the {_what} reader is shutting down"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue.Writer.TryComplete())
        {
            await Task.WhenAll(_readers).ConfigureAwait(false);
        }
    }

    private async Task ReadBatchAsync(List<Pending> batch, List<TRequest> requests)
    {
        TResult[] results;
        try
        {
            results = await _readBatch(requests).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A {What} batch of {Count} reads failed; their activations fail and the next call retries", _what, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    private sealed class Pending(TRequest request)
    {
        public TRequest Request { get; } = request;

        // Completed by a reader: the awaiting activation resumes on its own scheduler anyway.
        public TaskCompletionSource<TResult> Completion { get; } = new();
    }
}
