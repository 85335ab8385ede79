namespace ProfileGrains.Grains;

/// <summary>
/// Write coalescing for a grain's persistent state: a change marks it dirty and arms a one-shot grain timer; when the
/// timer fires, everything changed since is written at once. A hot grain costs one storage write per interval, an idle
/// one costs no timer at all (a million resident customers must not mean a million ticking timers).
/// Deactivation writes what is left.
/// </summary>
internal sealed class CoalescedState<T>(IPersistentState<T> state, IGrainBase grain, TimeSpan interval, Action? afterWrite = null)
{
    private IGrainTimer? _flushTimer;
    private bool _dirty;
    private bool _discarded;

    public T Value => state.State;

    public void MarkDirty()
    {
        if (_discarded)
        {
            return;
        }

        _dirty = true;
        _flushTimer ??= grain.RegisterGrainTimer(static (self, _) => self.FlushFromTimerAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = interval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
    }

    /// <summary>
    /// The in-memory value holds a change that was never acknowledged (its journal write failed): it must never be
    /// written. The grain deactivates and the next activation reloads what is durable.
    /// </summary>
    public void Discard()
    {
        _discarded = true;
        _dirty = false;
        _flushTimer?.Dispose();
        _flushTimer = null;
    }

    public async Task FlushAsync()
    {
        if (!_dirty || _discarded)
        {
            return;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync();
            afterWrite?.Invoke();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    private async Task FlushFromTimerAsync()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        try
        {
            await FlushAsync();
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
