using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>Maps one normalized identifier to its customer. Key: <see cref="CustomerIdentifier.ToGrainKey"/>.</summary>
[Alias("pg.IIdentityGrain")]
public interface IIdentityGrain : IGrainWithStringKey
{
    [Alias("GetOwner"), ReadOnly]
    Task<string?> GetOwner();

    /// <summary>Makes <paramref name="customerId"/> the owner if there is none; returns the owner either way.</summary>
    [Alias("Claim")]
    Task<string> Claim(CustomerIdentifier identifier, string customerId);

    /// <summary>Moves the identifier to <paramref name="toCustomerId"/> if <paramref name="fromCustomerId"/> still owns it; returns the owner.</summary>
    [Alias("Repoint")]
    Task<string?> Repoint(string fromCustomerId, string toCustomerId, string reason);

    [Alias("Explain"), ReadOnly]
    Task<IdentityExplanation> Explain(CustomerIdentifier identifier);

    /// <summary>
    /// Asks whether this identifier may join <paramref name="distinctCustomers"/> customers into one now. Null when it
    /// may (the merge is counted against its daily budget); otherwise why not, and the identifier is quarantined.
    /// </summary>
    [Alias("AuthorizeMerge")]
    Task<string?> AuthorizeMerge(int distinctCustomers);
}
