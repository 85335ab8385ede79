namespace ProfileGrains.Grains;

/// <summary>
/// Write coalescing for a grain's persistent state. With an interval (postgres mode), a change marks it dirty and arms
/// a one-shot grain timer; when the timer fires, everything changed since is written at once. A hot grain costs one
/// storage write per interval, an idle one costs no timer at all (a million resident customers must not mean a
/// million ticking timers). Without one (memory mode), the state is written only when the grain leaves memory, and
/// the stored copy is released when the grain comes back: the in-process store is where a grain waits while it is out
/// of memory, never a second copy of a resident one (a crash loses both anyway).
/// </summary>
internal sealed class CoalescedState<T>(IPersistentState<T> state, IGrainBase grain, TimeSpan? interval, IStateWriteFollower? afterWrite = null, SnapshotWriteGate? backgroundWrites = null)
{
    private IGrainTimer? _flushTimer;
    private bool _dirty;

    // With an interval: a change that only storage holds, as opposed to one replay can rebuild (writeSoon: false).
    private bool _mustWrite;
    private bool _discarded;

    public T Value => state.State;

    /// <summary>A whole new value (an unmerge rebuilds a profile); written like any change.</summary>
    public void Replace(T value) => state.State = value;

    /// <summary>Memory mode: the copy this activation was read from is dropped from the in-process store.</summary>
    public async Task OnActivateAsync()
    {
        if (interval is null && state.RecordExists)
        {
            var value = state.State;
            await state.ClearStateAsync();
            state.State = value;
        }
    }

    /// <summary>
    /// Writes what is left. Memory mode skips it when the silo shuts down: the in-process store goes with it, and a
    /// million resident grains would otherwise serialize themselves on the way out. With an interval, only a change that
    /// replay cannot rebuild is written: the activation collector deactivates customers by the hundred thousand, and a
    /// write each exhausted the connection pool.
    /// </summary>
    public Task OnDeactivateAsync(DeactivationReason reason) => interval is null
        ? reason.ReasonCode == DeactivationReasonCode.ShuttingDown ? Task.CompletedTask : FlushAsync()
        : _mustWrite ? FlushAsync() : Task.CompletedTask;

    /// <summary>
    /// Something changed: with an interval, it is written within that interval; with <paramref name="writeSoon"/> false
    /// (replay rebuilds it), only with a later change that asks sooner. Without an interval, when the grain leaves memory.
    /// </summary>
    public void MarkDirty(bool writeSoon = true)
    {
        if (_discarded)
        {
            return;
        }

        _dirty = true;
        _mustWrite |= writeSoon;
        if (writeSoon && interval is { } due)
        {
            _flushTimer ??= grain.RegisterGrainTimer(static (self, _) => self.FlushFromTimerAsync(), this, new GrainTimerCreationOptions
            {
                DueTime = due,
                Period = Timeout.InfiniteTimeSpan,
                Interleave = false,
                KeepAlive = false,
            });
        }
    }

    /// <summary>
    /// The in-memory value holds a change that was never acknowledged (its journal write failed): it must never be
    /// written. The grain deactivates and the next activation reloads what is durable.
    /// </summary>
    /// <summary>Erasure: nothing is written again, and the stored copy is deleted.</summary>
    public Task ClearAsync()
    {
        Discard();
        return state.ClearStateAsync();
    }

    public void Discard()
    {
        _discarded = true;
        _dirty = false;
        _mustWrite = false;
        _flushTimer?.Dispose();
        _flushTimer = null;
    }

    public async Task FlushAsync()
    {
        if (!_dirty || _discarded)
        {
            return;
        }

        var mustWrite = _mustWrite;
        _dirty = false;
        _mustWrite = false;
        try
        {
            await state.WriteStateAsync();
            afterWrite?.StateWritten();
        }
        catch
        {
            _dirty = true;
            _mustWrite |= mustWrite;
            throw;
        }
    }

    private async Task FlushFromTimerAsync()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        try
        {
            if (backgroundWrites is null)
            {
                await FlushAsync();
            }
            else
            {
                using var turn = await backgroundWrites.EnterAsync();
                await FlushAsync();
            }
        }
        finally
        {
            if (_dirty)
            {
                // The write failed: keep the change and try again after another interval.
                MarkDirty();
            }
        }
    }
}

/// <summary>
/// Told after each successful write of a <see cref="CoalescedState{T}"/> (the journal a snapshot now covers can go).
/// An interface rather than a delegate: a delegate per resident customer is 64 bytes a million times.
/// </summary>
internal interface IStateWriteFollower
{
    void StateWritten();
}
