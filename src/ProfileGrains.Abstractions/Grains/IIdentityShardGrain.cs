using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>
/// Owns the identifiers whose <see cref="IdentityKey"/> falls in one shard (key: the shard number, out of
/// <c>ProfileGrains:IdentityShards</c>) and maps each to its customer. A few hundred shards hold millions of
/// identifiers without an activation each, and they stay in memory.
/// </summary>
[Alias("pg.IIdentityShardGrain")]
public interface IIdentityShardGrain : IGrainWithIntegerKey
{
    [Alias("GetOwner"), ReadOnly]
    Task<string?> GetOwner(IdentityKey key);

    /// <summary>Makes <paramref name="customerId"/> the owner if there is none; returns the owner either way.</summary>
    [Alias("Claim")]
    Task<string> Claim(IdentityKey key, string customerId);

    /// <summary>Moves the identifier to <paramref name="toCustomerId"/> if <paramref name="fromCustomerId"/> still owns it; returns the owner.</summary>
    [Alias("Repoint")]
    Task<string?> Repoint(IdentityKey key, string fromCustomerId, string toCustomerId, string reason);

    /// <summary>The owner and every change of owner, oldest first.</summary>
    [Alias("Explain"), ReadOnly]
    Task<IdentityOwnership> Explain(IdentityKey key);

    /// <summary>
    /// Asks whether this identifier may join its customer with <paramref name="otherCustomers"/> now. Null when it may
    /// (each customer joined counts once against its daily budget); otherwise why not, and the identifier is quarantined.
    /// </summary>
    [Alias("AuthorizeMerge")]
    Task<string?> AuthorizeMerge(IdentityKey key, [Immutable] IReadOnlyList<string> otherCustomers);

    /// <summary>The identifiers of this shard quarantined now, oldest quarantine first.</summary>
    [Alias("ListQuarantined"), ReadOnly]
    Task<IReadOnlyList<QuarantinedIdentity>> ListQuarantined();

    /// <summary>
    /// Erasure: forgets each identifier owned by one of <paramref name="erasedCustomers"/> (owner, history, guard) and
    /// deletes its stored row, durably, before answering; with <paramref name="suppress"/>, every given identifier nobody
    /// owns is kept as suppressed, never to be claimed again. Returns how many were known. Idempotent.
    /// </summary>
    [Alias("Erase")]
    Task<int> Erase([Immutable] IReadOnlyList<IdentityKey> keys, [Immutable] IReadOnlyList<string> erasedCustomers, bool suppress);

    /// <summary>
    /// Erasure, as <see cref="Erase"/>, of every identifier of this shard owned by one of <paramref name="erasedCustomers"/>,
    /// also those their profiles no longer list (anonymous ids beyond the cap). Returns how many there were.
    /// </summary>
    [Alias("EraseOwnedBy")]
    Task<int> EraseOwnedBy([Immutable] IReadOnlyList<string> erasedCustomers, bool suppress);

    /// <summary>An operator ends a quarantine early; the identifier's history records why. The ownership as it now stands.</summary>
    [Alias("ReleaseQuarantine")]
    Task<IdentityOwnership> ReleaseQuarantine(IdentityKey key, string reason);
}
