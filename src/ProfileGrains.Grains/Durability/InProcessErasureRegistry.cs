using System.Collections.Concurrent;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>Memory mode: erased customers are remembered as long as this process lives, like everything else.</summary>
public sealed class InProcessErasureRegistry(IdentityKeyHasher hasher) : IErasureRegistry
{
    private readonly ConcurrentDictionary<IdentityKey, byte> _erased = new();

    public Task RecordAsync(IReadOnlyList<string> customerIds)
    {
        foreach (var id in customerIds)
        {
            _erased.TryAdd(hasher.KeyOfErasedCustomer(id), 0);
        }

        return Task.CompletedTask;
    }

    public Task<bool> WasErasedAsync(string customerId) => Task.FromResult(_erased.ContainsKey(hasher.KeyOfErasedCustomer(customerId)));
}
