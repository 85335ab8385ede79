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

    /// <summary>
    /// Back-fill: evaluates every segment now (with definitions at least at <paramref name="catalogVersion"/>) and
    /// re-sends this customer's membership of <paramref name="segmentId"/> even if unchanged. False when the customer
    /// does not exist or was merged away (its survivor is evaluated on its own).
    /// </summary>
    [Alias("Reevaluate")]
    Task<bool> Reevaluate(string segmentId, long catalogVersion);

    /// <summary>A time-driven transition may be due: evaluate segments now. One-way, so a wake-up grain never waits.</summary>
    [Alias("WakeUp"), OneWay]
    Task WakeUp();

    /// <summary>Null when the customer does not exist.</summary>
    [Alias("GetPersonalization"), ReadOnly]
    Task<PersonalizationView?> GetPersonalization();

    /// <summary>Consent, then frequency cap. Null when the customer does not exist.</summary>
    [Alias("CanContact"), ReadOnly]
    Task<ContactDecision?> CanContact(ContactChannel channel);
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
    /// <summary>Creates or changes the rule (a new version) and starts back-filling it over every existing customer.</summary>
    [Alias("Define")]
    Task<SegmentInfo> Define(string name, IReadOnlyList<SegmentCondition> conditions);

    [Alias("Get")]
    Task<SegmentInfo?> Get();

    /// <summary>Removes the rule everywhere and empties the membership; false when there was no such segment.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>Members now, summed over the shards.</summary>
    [Alias("Count")]
    Task<long> Count();
}

/// <summary>
/// One shard of a segment's membership. Key: "{segmentId}/{shard}", shard = stable hash of the customer id. Customers
/// send their notices here directly; a shard never calls anyone.
/// </summary>
[Alias("pg.ISegmentShardGrain")]
public interface ISegmentShardGrain : IGrainWithStringKey
{
    /// <summary>A customer's membership as of its <paramref name="version"/>; older notices than the one held are ignored.</summary>
    [Alias("Apply")]
    Task Apply(string customerId, bool isMember, long version);

    [Alias("Count"), ReadOnly]
    Task<long> Count();

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> List(string? afterCustomerId, int max);

    [Alias("ReadChanges"), ReadOnly]
    Task<MembershipChanges> ReadChanges(long afterSequence, int max);

    [Alias("Clear")]
    Task Clear();
}

/// <summary>
/// Wake-ups of customers whose segments change with time. Key: shard number. Holds (instant, customer) pairs and, when
/// an instant comes, tells the customer one-way, so no customer needs a timer of its own or to stay in memory.
/// </summary>
[Alias("pg.ISegmentWakeupGrain")]
public interface ISegmentWakeupGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces the customer's wake-up; null cancels it.</summary>
    [Alias("Schedule")]
    Task Schedule(string customerId, DateTimeOffset? at);

    [Alias("Pending"), ReadOnly]
    Task<int> Pending();
}

/// <summary>The in-memory customer directory (memory mode): which customers exist, for back-fills. Key: shard number.</summary>
[Alias("pg.ICustomerDirectoryGrain")]
public interface ICustomerDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(string customerId);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> List(string? afterCustomerId, int max);

    [Alias("Count"), ReadOnly]
    Task<long> Count();
}

/// <summary>The list of all segment definitions, versioned, so every silo can evaluate them locally.</summary>
[Alias("pg.ISegmentCatalogGrain")]
public interface ISegmentCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the catalog version that holds the definition.</summary>
    [Alias("Register")]
    Task<long> Register(SegmentDefinition definition);

    /// <summary>Removes a definition (if still at or below <paramref name="version"/>): no customer evaluates it any more.</summary>
    [Alias("Unregister")]
    Task Unregister(string segmentId, long version);

    /// <summary>Null when the caller's version is current.</summary>
    [Alias("GetIfNewer"), ReadOnly]
    Task<SegmentCatalogSnapshot?> GetIfNewer(long knownVersion);
}
