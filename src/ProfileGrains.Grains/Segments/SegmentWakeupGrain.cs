using Microsoft.Extensions.Options;
using ProfileGrains.Abstractions;

namespace ProfileGrains.Grains;

/// <summary>
/// A few of these hold every scheduled wake-up. One grain timer each checks for due customers while it is active; a
/// reminder (durable in postgres mode) brings it back after a restart, so no wake-up is forgotten.
/// </summary>
[GrainType("segment-wakeup")]
public sealed class SegmentWakeupGrain : Grain, ISegmentWakeupGrain, IRemindable
{
    private const string ReminderName = "wakeups";
    private const int MaxWakeupsPerTick = 2_000;
    private readonly CoalescedState<SegmentWakeupState> _state;
    private readonly EngineClock _clock;
    private readonly TimeSpan _tick;
    private readonly SortedSet<(long DueAt, string CustomerId)> _queue = [];
    private IGrainTimer? _timer;
    private bool _reminderRegistered;

    public SegmentWakeupGrain(
        [PersistentState("wakeups", StorageNames.Segments)] IPersistentState<SegmentWakeupState> state,
        EngineClock clock,
        IOptions<ProfileGrainsOptions> options)
    {
        _state = new CoalescedState<SegmentWakeupState>(state, this, options.Value.CoalescedWriteInterval);
        _clock = clock;
        _tick = options.Value.WakeupTickInterval;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _state.OnActivateAsync();
        foreach (var (customerId, dueAt) in _state.Value.DueAt)
        {
            _queue.Add((dueAt, customerId));
        }

        _reminderRegistered = _queue.Count > 0;
        ArmTimer();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.OnDeactivateAsync(reason);

    public async Task Schedule(string customerId, DateTimeOffset? at)
    {
        if (_state.Value.DueAt.Remove(customerId, out var previous))
        {
            _queue.Remove((previous, customerId));
        }

        if (at is { } due)
        {
            _state.Value.DueAt[customerId] = due.UtcTicks;
            _queue.Add((due.UtcTicks, customerId));
            if (!_reminderRegistered)
            {
                await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
                _reminderRegistered = true;
            }
        }

        _state.MarkDirty();
    }

    public Task<int> Pending() => Task.FromResult(_queue.Count);

    /// <summary>Only there to bring the grain back into memory; the timer does the work.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private void ArmTimer() =>
        _timer ??= this.RegisterGrainTimer(static self => self.WakeDueCustomers(), this, new GrainTimerCreationOptions
        {
            DueTime = _tick,
            Period = _tick,
            Interleave = false,
            // Wake-ups must be checked while any are pending; only a handful of these grains exist.
            KeepAlive = true,
        });

    private Task WakeDueCustomers()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        var woken = 0;
        while (_queue.Count > 0 && _queue.Min.DueAt <= now && woken < MaxWakeupsPerTick)
        {
            var (_, customerId) = _queue.Min;
            _queue.Remove(_queue.Min);
            _state.Value.DueAt.Remove(customerId);
            // One-way: the customer may itself be calling this grain to reschedule; nobody waits for anybody.
            GrainFactory.GetGrain<ICustomerGrain>(customerId).WakeUp().Ignore();
            woken++;
        }

        if (woken > 0)
        {
            _state.MarkDirty();
        }

        return Task.CompletedTask;
    }
}
