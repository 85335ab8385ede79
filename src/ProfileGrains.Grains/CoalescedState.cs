namespace ProfileGrains.Grains;

/// <summary>
/// Write coalescing for a grain's persistent state: changes mark it dirty, a grain timer writes at most once per
/// interval, and deactivation writes what is left. A hot grain costs one storage write per interval, not per call.
/// </summary>
internal sealed class CoalescedState<T>(IPersistentState<T> state)
{
    private bool _dirty;

    public T Value => state.State;

    public void MarkDirty() => _dirty = true;

    public void Start(IGrainBase grain, TimeSpan interval)
    {
        grain.RegisterGrainTimer(static (self, ct) => self.FlushAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = interval,
            Period = interval,
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
}
