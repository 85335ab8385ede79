using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The owner of one identifier. Changes are written through before they are acknowledged: they are rare (a claim, a
/// merge) and a lost one would let two customers own one identifier.
/// </summary>
[GrainType("identity")]
public sealed class IdentityGrain(
    [PersistentState("identity", StorageNames.Identities)] IPersistentState<IdentityState> state,
    EngineClock clock,
    IdentityProtectionPolicy protection) : Grain, IIdentityGrain
{
    private const int MaxHistory = 20;

    public Task<string?> GetOwner() => Task.FromResult(state.State.CustomerId);

    public async Task<string> Claim(CustomerIdentifier identifier, string customerId)
    {
        if (state.State.CustomerId is { } owner)
        {
            return owner;
        }

        state.State.Identifier = identifier;
        await ChangeOwner(customerId, "first seen");
        return customerId;
    }

    public async Task<string?> Repoint(string fromCustomerId, string toCustomerId, string reason)
    {
        if (state.State.CustomerId == fromCustomerId && fromCustomerId != toCustomerId)
        {
            await ChangeOwner(toCustomerId, reason);
        }

        return state.State.CustomerId;
    }

    public Task<IdentityExplanation> Explain(CustomerIdentifier identifier) =>
        Task.FromResult(new IdentityExplanation(identifier, state.State.CustomerId, [.. state.State.History]));

    public async Task<string?> AuthorizeMerge(int distinctCustomers)
    {
        var now = clock.GetUtcNow();
        var wasQuarantined = state.State.Guard.IsQuarantined;
        if (state.State.Guard.ShouldQuarantine(distinctCustomers, now, protection, out var reason))
        {
            if (!wasQuarantined)
            {
                await state.WriteStateAsync();
            }

            return reason;
        }

        state.State.Guard.RecordLink(now, Math.Max(1, distinctCustomers - 1));
        await state.WriteStateAsync();
        return null;
    }

    private async Task ChangeOwner(string customerId, string reason)
    {
        var previous = (state.State.CustomerId, state.State.LinkedAt, state.State.History);
        var now = clock.GetUtcNow();
        state.State.CustomerId = customerId;
        state.State.LinkedAt = now;
        state.State.History = [.. state.State.History.Append(new IdentityLink(customerId, now, reason)).TakeLast(MaxHistory)];
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (state.State.CustomerId, state.State.LinkedAt, state.State.History) = previous;
            throw;
        }
    }
}
