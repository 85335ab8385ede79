using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>One customer's unified profile. Key: the customer id.</summary>
[Alias("pg.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Creates the profile if needed, links the given identifiers and applies traits.</summary>
    [Alias("Identify")]
    Task<CustomerChangeResult> Identify(IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits);

    /// <summary>Creates the profile if needed, links the given identifiers and counts the event once.</summary>
    [Alias("Track")]
    Task<TrackOutcome> Track(TrackedEvent trackedEvent, IReadOnlyList<CustomerIdentifier> linked);

    [Alias("UpdateTraits")]
    Task<UpdateTraitsResult> UpdateTraits(TraitsUpdate update);

    /// <summary>Why this update would be refused (a per-customer limit), or null; changes nothing.</summary>
    [Alias("CheckTraits"), ReadOnly]
    Task<string?> CheckTraits(TraitsUpdate update);

    /// <summary>Null when no such customer exists.</summary>
    [Alias("GetProfile"), ReadOnly]
    Task<ProfileView?> GetProfile();

    [Alias("GetCheckout"), ReadOnly]
    Task<CheckoutView?> GetCheckoutSummary();

    /// <summary>The identifiers this customer holds.</summary>
    [Alias("GetIdentifiers"), ReadOnly]
    Task<IReadOnlyList<CustomerIdentifier>> GetIdentifiers();

    [Alias("GetSegments"), ReadOnly]
    Task<IReadOnlyList<string>?> GetSegments();

    /// <summary>
    /// First step of merging this record into <paramref name="survivorId"/>: from now on it forwards every call, and the
    /// returned copy is final. Idempotent; if it was already merged elsewhere, the copy says where (MergedInto).
    /// </summary>
    [Alias("BeginMergeInto")]
    Task<CustomerProfile> BeginMergeInto(string survivorId);

    /// <summary>Absorbs another record of this person; idempotent per merge id.</summary>
    [Alias("Absorb")]
    Task Absorb(CustomerProfile absorbed, MergeRecord record);

    /// <summary>Last step: drops the data of this merged record, leaving a forwarding tombstone.</summary>
    [Alias("CompleteMerge")]
    Task CompleteMerge();

    [Alias("GetMergeHistory"), ReadOnly]
    Task<IReadOnlyList<MergeRecord>> GetMergeHistory();
}

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

/// <summary>A segment's definition and its members. Key: the segment id.</summary>
[Alias("pg.ISegmentGrain")]
public interface ISegmentGrain : IGrainWithStringKey
{
    [Alias("Define")]
    Task<SegmentInfo> Define(string name, IReadOnlyList<SegmentCondition> conditions);

    [Alias("Get"), ReadOnly]
    Task<SegmentInfo?> Get();

    [Alias("MembershipChanged"), OneWay]
    Task MembershipChanged(string customerId, bool isMember);
}

/// <summary>The list of all segment definitions, versioned, so every silo can evaluate them locally.</summary>
[Alias("pg.ISegmentCatalogGrain")]
public interface ISegmentCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(SegmentDefinition definition);

    /// <summary>Null when the caller's version is current.</summary>
    [Alias("GetIfNewer"), ReadOnly]
    Task<SegmentCatalogSnapshot?> GetIfNewer(long knownVersion);
}
