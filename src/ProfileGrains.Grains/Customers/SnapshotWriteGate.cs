using Microsoft.Extensions.Options;

namespace ProfileGrains.Grains;

/// <summary>
/// Bounds the background snapshot writes of one silo (<see cref="ProfileGrainsOptions.MaxConcurrentSnapshotWrites"/>).
/// Snapshots only shorten replay, so they queue here rather than take every pooled connection: thousands of customers
/// coming due at once once exhausted the pool, and the activations and journal appends that callers wait for stalled
/// behind them.
/// </summary>
public sealed class SnapshotWriteGate(IOptions<ProfileGrainsOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(options.Value.MaxConcurrentSnapshotWrites);

    public async Task<IDisposable> EnterAsync()
    {
        await _writes.WaitAsync();
        return new Exit(_writes);
    }

    public void Dispose() => _writes.Dispose();

    private sealed class Exit(SemaphoreSlim writes) : IDisposable
    {
        public void Dispose() => writes.Release();
    }
}
