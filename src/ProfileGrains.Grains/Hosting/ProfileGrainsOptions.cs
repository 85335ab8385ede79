using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// The one configuration tree of an engine, section <see cref="SectionName"/>: where it listens and keeps its state,
/// how its grains behave, and the rules of its domain (identifiers, identity protection, contact policy, scoring).
/// Bound once and validated at start-up by <see cref="ProfileGrainsOptionsValidator"/>; the README's configuration
/// table lists every key. PostgreSQL settings are the branch <c>ProfileGrains:Postgres</c>, bound by the storage.
/// </summary>
public sealed class ProfileGrainsOptions
{
    public const string SectionName = "ProfileGrains";

    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The gRPC port: h2c, or TLS when Kestrel:Certificates:Default is configured. 0 picks a free port.</summary>
    public int GrpcPort { get; set; } = 5080;

    /// <summary>
    /// The web port: HTTP/1.1 for what browsers and scrapers speak (gRPC-Web, the metrics endpoint), TLS with the same
    /// certificate as gRPC when one is configured. gRPC over plain HTTP/2 cannot share a port with HTTP/1.1, so this is a
    /// port of its own; with TLS the gRPC port answers gRPC-Web too. -1 turns it off; 0 picks a free port.
    /// </summary>
    public int WebPort { get; set; } = 5090;

    /// <summary>
    /// Browser origins allowed to call the engine across origins (CORS), e.g. "https://shop.example.com". None by default:
    /// pages the engine serves itself are same-origin.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The web pages on the web port: the insight console (/console/), the demo shop (/shop/) and till (/till/). They
    /// hold no data and no key: every figure they show comes from the API with the key the user types in.
    /// </summary>
    public bool WebPages { get; set; } = true;

    /// <summary>
    /// The Orleans Dashboard (silos, grain activations, calls and latency per grain method, reminders) at /dashboard on
    /// the web port, for admin keys. Off by default: it profiles every grain call.
    /// </summary>
    public bool Dashboard { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "profilegrains-dev";

    public string ServiceId { get; set; } = "profilegrains";

    /// <summary>
    /// "memory" (default): everything lives in this process and is lost when it stops; one silo.
    /// "postgres": durable state, journal, reminders and cluster membership in PostgreSQL (section ProfileGrains:Postgres);
    /// any number of silos sharing the database form one cluster.
    /// </summary>
    public string Storage { get; set; } = "memory";

    public bool IsDurable => string.Equals(Storage, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The address other silos reach this one at (postgres mode): an IP or a host name resolved at start-up
    /// (a container name in docker-compose). Defaults to ListenAddress.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Moved to <c>Identifiers:DefaultPhoneRegion</c>; set here, it stops the engine rather than be ignored.</summary>
    public string? DefaultPhoneRegion { get; set; }

    /// <summary>
    /// (postgres mode) How long changed grain state may stay unwritten; writes of a busy grain are coalesced into one.
    /// In memory mode state is written to the in-process store only when a grain leaves memory.
    /// </summary>
    public TimeSpan StateFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The coalescing interval of segment, directory and wake-up state: none in memory mode (written on leaving memory).</summary>
    public TimeSpan? CoalescedWriteInterval => IsDurable ? StateFlushInterval : null;

    /// <summary>
    /// With a durable journal (postgres mode) a customer snapshot only shortens replay, so it is written far less often:
    /// every change is already durable in the journal before it is acknowledged.
    /// </summary>
    public TimeSpan JournaledSnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// (postgres mode) Journal entries a customer accumulates before its changes schedule a snapshot. A customer with a
    /// shorter journal is never snapshotted, not even when it leaves memory: its journal is its durable copy, and
    /// replaying a few entries costs less than writing a whole profile. A million customers touched once each would
    /// otherwise mean a million snapshot writes a minute later, or as the activation collector sends them away.
    /// </summary>
    public int JournaledSnapshotAfterEntries { get; set; } = 32;

    /// <summary>(postgres mode) Background snapshot writes in progress at once on one silo; the others wait their turn.</summary>
    public int MaxConcurrentSnapshotWrites { get; set; } = 4;

    /// <summary>Membership of every segment is split over this many shard grains (fixed once segments exist).</summary>
    public int SegmentShards { get; set; } = Domain.SegmentSharding.DefaultShardCount;

    /// <summary>Enter/exit changes each shard keeps for watchers resuming after a disconnect.</summary>
    public int SegmentChangeLogCapacity { get; set; } = 10_000;

    /// <summary>
    /// Durable mode: how often each resident segment shard re-reads the membership rows written lately. A notice lost
    /// with a killed silo reaches the shard within this interval; the cost is one indexed query per shard per interval.
    /// </summary>
    public TimeSpan SegmentShardRereadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often each silo finishes erasures begun more than this long ago and not completed (their silo died in the
    /// middle): the bound on how long an interrupted erasure stays half done when nobody retries it.
    /// </summary>
    public TimeSpan ErasureResumeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Customers evaluated at once by a back-fill, and per page, so a new segment never floods the cluster.</summary>
    public int BackfillConcurrency { get; set; } = 8;

    public int BackfillPageSize { get; set; } = 200;

    /// <summary>How often wake-up grains look for customers whose time-driven transition is due.</summary>
    public TimeSpan WakeupTickInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While a customer is in memory and some segment depends on time, how often its time-driven transitions are
    /// checked (a one-shot timer re-armed each time; it does not keep the customer in memory).
    /// </summary>
    public TimeSpan ResidentTimeCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wake-ups are spread over this many grains.</summary>
    public int WakeupShards { get; set; } = 16;

    /// <summary>How often each silo refreshes its copy of the segment definitions.</summary>
    public TimeSpan SegmentRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An idle customer leaves memory after this long (its state stays in storage).</summary>
    public TimeSpan CustomerIdleAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The identity map is split over this many shard grains, each holding the identifiers whose key falls in it. Fixed
    /// once identifiers are stored: a stored row is found through its shard.
    /// </summary>
    public int IdentityShards { get; set; } = 256;

    /// <summary>
    /// Identifier → customer entries each silo remembers so that a lookup skips the identity shard (about 100 bytes
    /// each, no personal data). Beyond it, entries not used lately are dropped and their lookups ask the shard again.
    /// </summary>
    public int IdentityCacheCapacity { get; set; } = 1_000_000;

    /// <summary>
    /// The secret identifiers are hashed under before they reach the identity shards, their storage and the silo's
    /// cache (<see cref="IdentityKeyHasher"/>): at least 16 characters, the same on every silo, and kept for the life
    /// of the data. The default suits development only; set your own (an environment variable
    /// <c>ProfileGrains__IdentityKeySecret</c>) before storing real customers.
    /// </summary>
    public string IdentityKeySecret { get; set; } = DevelopmentIdentityKeySecret;

    public const string DevelopmentIdentityKeySecret = "profilegrains-development-identity-key";

    /// <summary>
    /// An erased person's identifiers sent again: <c>FreshProfile</c> (a new profile with no past) or <c>Refuse</c> (kept
    /// as suppressed keyed hashes in their identity shards, never linked again).
    /// </summary>
    public ReingestAfterErasure ReingestAfterErasure { get; set; } = ReingestAfterErasure.FreshProfile;

    /// <summary>
    /// Retention: a customer with no activity (no event, identification, trait or consent change, merge) for this long
    /// is erased automatically, as by EraseCustomer (audited under the requester <c>retention</c>). The CNIL's guideline
    /// for prospects is three years after the last contact. <c>00:00:00</c> keeps customers however long they are quiet.
    /// </summary>
    public TimeSpan RetentionInactivity { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>How often a retention sweep starts over every customer (one sweep at a time, cluster-wide).</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The pace of a sweep: one page of customers (<see cref="BackfillPageSize"/>) checked per tick.</summary>
    public TimeSpan RetentionTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The timeline each customer keeps (GetTimeline): at most this many exchanges, none older than <see cref="TimelineMaxAge"/>.</summary>
    public int TimelineMaxEntries { get; set; } = TimelineLimits.Default.MaxEntries;

    public TimeSpan TimelineMaxAge { get; set; } = TimelineLimits.Default.MaxAge;

    public TimelineLimits Timeline => new(TimelineMaxEntries, TimelineMaxAge);

    /// <summary>A purchase this long after a click on a campaign counts as that campaign's conversion (the last click wins).</summary>
    public TimeSpan CampaignConversionWindow { get; set; } = CampaignHistory.DefaultConversionWindow;

    /// <summary>
    /// The retailer's own consent purposes beside marketing, personalization, profiling and partner sharing (e.g.
    /// "research", "loyalty_programme"): decisions and segments name them with the purpose custom. Removing one leaves
    /// the decisions already given as they were, kept as proof, but no new decision may name it.
    /// </summary>
    public List<string> ConsentPurposes { get; set; } = [];

    /// <summary>
    /// GetPersonalization answers with segments, scores and interests only for customers who consented to
    /// personalization (purpose personalization, every channel); false where another legal basis applies.
    /// </summary>
    public bool PersonalizationNeedsConsent { get; set; } = true;

    public IdentifierNormalizationOptions Identifiers { get; set; } = new();

    public IdentityProtectionOptions IdentityProtection { get; set; } = new();

    public ContactPolicyOptions ContactPolicy { get; set; } = new();

    public ScoringOptions Scoring { get; set; } = new();
}
