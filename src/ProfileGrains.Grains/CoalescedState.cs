namespace ProfileGrains.Grains;

/// <summary>
/// Write coalescing for a grain's persistent state: a change marks it dirty and arms a one-shot grain timer; when the
/// timer fires, everything changed since is written at once. A hot grain costs one storage write per interval, an idle
/// one costs no timer at all (a million resident customers must not mean a million ticking timers).
/// Deactivation writes what is left.
/// </summary>
internal sealed class CoalescedState<T>(IPersistentState<T> state, IGrainBase grain, TimeSpan interval)
{
    private IGrainTimer? _flushTimer;
    private bool _dirty;

    public T Value => state.State;

    public void MarkDirty()
    {
        _dirty = true;
        _flushTimer ??= grain.RegisterGrainTimer(static (self, _) => self.FlushFromTimerAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = interval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
    }

    public async Task FlushAsync()
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        try
        {
            await state.WriteStateAsync();
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
