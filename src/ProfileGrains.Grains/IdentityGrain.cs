using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.IdentityState")]
public sealed class IdentityState
{
    [Id(0)] public CustomerIdentifier Identifier { get; set; }
    [Id(1)] public string? CustomerId { get; set; }
    [Id(2)] public DateTimeOffset? LinkedAt { get; set; }
}

/// <summary>
/// The owner of one identifier. Claims are written through before they are acknowledged: they are rare (once per
/// identifier) and a lost claim would let two customers own one identifier.
/// </summary>
[GrainType("identity")]
public sealed class IdentityGrain(
    [PersistentState("identity", StorageNames.Identities)] IPersistentState<IdentityState> state,
    EngineClock clock) : Grain, IIdentityGrain
{
    public Task<string?> GetOwner() => Task.FromResult(state.State.CustomerId);

    public async Task<string> Claim(CustomerIdentifier identifier, string customerId)
    {
        if (state.State.CustomerId is { } owner)
        {
            return owner;
        }

        state.State.Identifier = identifier;
        state.State.CustomerId = customerId;
        state.State.LinkedAt = clock.GetUtcNow();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.CustomerId = null;
            state.State.LinkedAt = null;
            throw;
        }

        return customerId;
    }
}
