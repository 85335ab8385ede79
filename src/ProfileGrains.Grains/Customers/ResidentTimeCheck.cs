namespace ProfileGrains.Grains;

/// <summary>
/// While a customer is in memory and some segment depends on time, a one-shot timer re-checks its segments now and
/// then, so "no purchase for 90 days" happens on time even if the customer neither calls nor leaves memory. A million
/// resident customers must not mean a million ticking timers: it is armed only after a change and fires once; it does
/// not keep the customer in memory. Out of memory, a wake-up grain does the same.
/// </summary>
internal sealed class ResidentTimeCheck(IGrainBase grain, TimeSpan interval, Func<Task> check)
{
    private IGrainTimer? _timer;

    public void Arm()
    {
        _timer ??= grain.RegisterGrainTimer(static self => self.FireAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = interval,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = false,
        });
    }

    private Task FireAsync()
    {
        _timer?.Dispose();
        _timer = null;
        return check();
    }
}
