using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>One customer's unified profile. Key: the customer id.</summary>
[Alias("pg.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Creates the profile if needed, links the given identifiers and applies traits.</summary>
    [Alias("Identify")]
    Task<CustomerChangeResult> Identify([Immutable] IReadOnlyList<CustomerIdentifier> linked, TraitsUpdate traits);

    /// <summary>Creates the profile if needed, links the given identifiers and counts the event once.</summary>
    [Alias("Track")]
    Task<TrackOutcome> Track(TrackedEvent trackedEvent, [Immutable] IReadOnlyList<CustomerIdentifier> linked);

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

    /// <summary>
    /// Absorbs another record of this person; idempotent per merge id. The copy is consumed (counted events are taken out
    /// of it), and passed without a deep copy: callers hand over a copy of their own and do not read it afterwards.
    /// </summary>
    [Alias("Absorb")]
    Task Absorb([Immutable] CustomerProfile absorbed, MergeRecord record);

    /// <summary>Last step: drops the data of this merged record, leaving a forwarding tombstone.</summary>
    [Alias("CompleteMerge")]
    Task CompleteMerge();

    [Alias("GetMergeHistory"), ReadOnly]
    Task<IReadOnlyList<MergeRecord>> GetMergeHistory();

    /// <summary>
    /// First step of reversing this customer's latest merge: it becomes itself again, as rebuilt by
    /// <see cref="Unmerging"/>, and keeps the record to restore until <see cref="CompleteUnmerge"/>. Idempotent: an
    /// unmerge already under way is returned as is. Refused (with the reason) when the merge is not its latest or is final.
    /// </summary>
    [Alias("BeginUnmerge")]
    Task<UnmergeStart> BeginUnmerge(string mergeId, string reason);

    /// <summary>Second step, on the merged-away record: it becomes live again as restored. Idempotent.</summary>
    [Alias("Restore")]
    Task Restore([Immutable] PendingRestore restore);

    /// <summary>Last step, on the survivor, once the restored record's identifiers lead to it.</summary>
    [Alias("CompleteUnmerge")]
    Task CompleteUnmerge(string mergeId);

    /// <summary>
    /// Erasure, first step: from now on the customer takes no change and answers no read (<see cref="CustomerErasedException"/>),
    /// and it leaves every segment. Returns what must be erased with it; null when no such customer. Idempotent.
    /// </summary>
    [Alias("BeginErase")]
    Task<ErasurePlan?> BeginErase();

    /// <summary>
    /// Retention: as <see cref="BeginErase"/>, only for a customer with no activity since <paramref name="since"/> (and
    /// no unmerge under way); null, changing nothing, for any other.
    /// </summary>
    [Alias("BeginEraseIfInactive")]
    Task<ErasurePlan?> BeginEraseIfInactive(DateTimeOffset since);

    /// <summary>
    /// Erasure, last step, on the live record and on each record merged into it: its journal, membership rows,
    /// directory entry, wake-up and stored state are deleted, durably, and it may not be created again. Idempotent.
    /// </summary>
    [Alias("CompleteErase")]
    Task CompleteErase();

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

    /// <summary>
    /// What this customer adds to the overview of the customer base, and whether <paramref name="probe"/> (a segment
    /// being written) would take them now. Null when the customer does not exist.
    /// </summary>
    [Alias("GetInsight"), ReadOnly]
    Task<CustomerInsight?> GetInsight([Immutable] SegmentDefinition? probe);

    /// <summary>Everything held about this person, for their copy of it. Null when the customer does not exist.</summary>
    [Alias("GetRecord"), ReadOnly]
    Task<CustomerRecordView?> GetRecord();

    /// <summary>A page of the customer's timeline (newest first). Null when the customer does not exist.</summary>
    [Alias("GetTimeline"), ReadOnly]
    Task<TimelinePage?> GetTimeline(TimelineQuery query);

    /// <summary>Consent, then frequency cap. Null when the customer does not exist.</summary>
    [Alias("CanContact"), ReadOnly]
    Task<ContactDecision?> CanContact(ContactChannel channel);
}
