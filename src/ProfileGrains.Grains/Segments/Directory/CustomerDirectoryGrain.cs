using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GrainType("customer-directory")]
public sealed class CustomerDirectoryGrain : Grain, ICustomerDirectoryGrain
{
    private readonly CoalescedState<CustomerDirectoryState> _state;

    public CustomerDirectoryGrain(
        [PersistentState("directory", StorageNames.Segments)] IPersistentState<CustomerDirectoryState> state,
        Microsoft.Extensions.Options.IOptions<ProfileGrainsOptions> options)
    {
        _state = new CoalescedState<CustomerDirectoryState>(state, this, options.Value.CoalescedWriteInterval);
    }

    private CustomerDirectoryState State => _state.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.OnActivateAsync();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _state.OnDeactivateAsync(reason);

    public Task Register(string customerId)
    {
        if (State.CustomerIds.Add(customerId))
        {
            _state.MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task Remove(string customerId)
    {
        if (State.CustomerIds.Remove(customerId))
        {
            _state.MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> List(string? afterCustomerId, int max)
    {
        var all = State.CustomerIds;
        IEnumerable<string> ids = afterCustomerId is null || all.Count == 0
            ? all
            : string.CompareOrdinal(afterCustomerId, all.Max) >= 0
                ? []
                : all.GetViewBetween(afterCustomerId, all.Max!).Where(id => id != afterCustomerId);
        return Task.FromResult<IReadOnlyList<string>>([.. ids.Take(max)]);
    }

    public Task<IReadOnlyList<string>> Sample(double fraction, int max) =>
        Task.FromResult(CustomerSampling.Draw(State.CustomerIds, fraction, max));

    public Task<long> Count() => Task.FromResult((long)State.CustomerIds.Count);
}
