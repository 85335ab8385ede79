namespace ProfileGrains.Domain;

/// <summary>
/// The unified profile of one customer: the state of a customer grain, and all the logic that changes it.
/// It needs no silo: every rule about applying events, traits and identifiers lives here.
/// </summary>
[GenerateSerializer, Alias("pg.CustomerProfile")]
public sealed class CustomerProfile
{
    [Id(0)] public string CustomerId { get; private set; } = string.Empty;
    [Id(1)] public DateTimeOffset? CreatedAt { get; private set; }
    [Id(2)] public DateTimeOffset? UpdatedAt { get; private set; }
    [Id(3)] public List<CustomerIdentifier> Identifiers { get; private set; } = [];
    [Id(4)] public ProfileTraits Traits { get; private set; } = ProfileTraits.Empty;
    [Id(5)] public TransactionSummary Transactions { get; private set; } = new();
    [Id(6)] public BehaviourCounters Counters { get; private set; } = new();
    [Id(7)] public EventDeduplicator Dedupe { get; private set; } = new();

    // Written as a dictionary by earlier builds; moves into the compact map on first use.
    [Id(8)] private Dictionary<string, int>? _legacyCategoryAffinity;
    [Id(59)] private CompactDictionary<string, int>? _categoryAffinity;

    public CompactDictionary<string, int> CategoryAffinity => CompactDictionary.Read(ref _categoryAffinity, ref _legacyCategoryAffinity);

    [Id(9)] public List<string> SegmentIds { get; private set; } = [];
    // Merge history and moved identifiers are empty for almost every customer: null until the first entry (an empty
    // list is 32 bytes per customer), read through a shared empty list.
    [Id(10)] private List<MergeRecord>? _mergeHistory;

    public IReadOnlyList<MergeRecord> MergeHistory => _mergeHistory ?? (IReadOnlyList<MergeRecord>)[];

    /// <summary>Set when this record was merged into another customer: it only forwards from then on.</summary>
    [Id(11)] public string? MergedInto { get; private set; }

    [Id(12)] public DateTimeOffset? TraitsUpdatedAt { get; private set; }

    /// <summary>True once a merged record has handed everything over and been cleared.</summary>
    [Id(13)] public bool MergeCompleted { get; private set; }

    /// <summary>
    /// The last journal entry this profile reflects: a snapshot at sequence S plus the journal after S is the whole
    /// profile. Zero when nothing was journaled (memory mode).
    /// </summary>
    [Id(40)] public long JournalSequence { get; private set; }

    /// <summary>Grows whenever the segment membership changes: segment shards ignore notices older than what they hold.</summary>
    [Id(41)] public long MembershipVersion { get; private set; }

    /// <summary>A wake-up grain holds a time-driven re-evaluation for this customer (so leaving memory can cancel it).</summary>
    [Id(42)] public bool HasWakeup { get; set; }

    /// <summary>Messages sent to this customer per contact channel, by time sent: the contact frequency caps read these.</summary>
    public CompactDictionary<ContactChannel, EventCounter> MessagesSent => CompactDictionary.Read(ref _messagesSent, ref _legacyMessagesSent);

    // Written as a dictionary by earlier builds; moves into the compact map on first use.
    [Id(43)] private Dictionary<ContactChannel, EventCounter>? _legacyMessagesSent;
    [Id(60)] private CompactDictionary<ContactChannel, EventCounter>? _messagesSent;

    [Id(44)] public RecentInterests Interests { get; private set; } = new();

    /// <summary>How to reverse this record's latest merge, while it still can be (see <see cref="Domain.MergeUndo"/>).</summary>
    [Id(45)] public MergeUndo? MergeUndo { get; private set; }

    /// <summary>An unmerge under way: the record being restored, until it is live and its identifiers lead to it.</summary>
    [Id(46)] public PendingRestore? PendingRestore { get; private set; }

    /// <summary>Identifiers an unmerge gave back to another record: a request still routed here by them is sent there.</summary>
    [Id(47)] private List<MovedIdentifier>? _movedAway;

    public IReadOnlyList<MovedIdentifier> MovedAway => _movedAway ?? (IReadOnlyList<MovedIdentifier>)[];

    /// <summary>
    /// Every consent decision received, oldest first: the proof of when and how each was given or taken back. Bounded
    /// (<see cref="Limits.MaxConsentHistory"/>); the decision in force for each channel and purpose is also in the traits.
    /// </summary>
    [Id(48)] public List<ConsentDecision> ConsentHistory { get; private set; } = [];

    /// <summary>The recent exchanges with their payloads, in the order they happened (<see cref="Domain.Timeline"/>).</summary>
    [Id(49)] public Timeline Timeline { get; private set; } = new();

    // What the events say beyond their counts. Each is created by the first event that needs it: most customers never
    // return goods or answer a survey, and a million profiles should not each carry empty collections for it.

    [Id(50)] public Cart? Cart { get; private set; }

    /// <summary>Categories and products bought or viewed, and when last.</summary>
    [Id(51)] public ProductActivity? Products { get; private set; }

    [Id(52)] public CustomerFeedback? Feedback { get; private set; }

    [Id(53)] public Subscriptions? Subscriptions { get; private set; }

    [Id(54)] public VisitCalendar? Visits { get; private set; }

    [Id(55)] public CampaignHistory? Campaigns { get; private set; }

    [Id(56)] public RecentDistinct? PaymentInstruments { get; private set; }

    /// <summary>Anonymous (device) ids as they were linked: many new devices in a day is an anomaly signal.</summary>
    [Id(57)] public RecentDistinct? NewDevices { get; private set; }

    /// <summary>Postal addresses as they were given: many new addresses in a day is an anomaly signal.</summary>
    [Id(58)] public RecentDistinct? NewAddresses { get; private set; }

    /// <summary>
    /// What the last event applied adds to a campaign's indicators, for the grain to pass on once the event is durable.
    /// Not state: replay sets it too, and the next event replaces it.
    /// </summary>
    public CampaignTally? CampaignTally => _campaignTally;

    /// <summary>
    /// What the enrichers derived from this profile (<see cref="Enrich"/>). Not state: derived again when the customer
    /// is loaded, so enrichers can change between versions without migrating anything; and derived only when first read
    /// after that or after a change, because most reads never need it (a lookup at the till does not, and parsing the
    /// phone number for it was 5 % of the engine's CPU in a lookup of a customer out of memory).
    /// </summary>
    public Enrichment Enriched => _enrichment switch
    {
        Enrichment derived => derived,
        ProfileEnrichers owed => (Enrichment)(_enrichment = owed.Enrich(this)),
        _ => Enrichment.None,
    };

    // The enrichment, or the enrichers that owe it until it is first read: one field either way.
    [NonSerialized] private object? _enrichment;

    /// <summary>The profile was loaded or changed: <paramref name="enrichers"/> derive its enrichment again when it is next read.</summary>
    public void Enrich(ProfileEnrichers enrichers) => _enrichment = enrichers;

    [NonSerialized] private CampaignTally? _campaignTally;

    public bool Exists => CreatedAt is not null;

    /// <summary>Records that the change just applied is journal entry <paramref name="sequence"/>.</summary>
    public void MarkJournaled(long sequence)
    {
        if (sequence <= JournalSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"journal sequence must grow past {JournalSequence}");
        }

        JournalSequence = sequence;
    }

    /// <summary>Brings the profile into existence; returns false when it already existed.</summary>
    public bool EnsureCreated(string customerId, DateTimeOffset now)
    {
        if (Exists)
        {
            return false;
        }

        CustomerId = customerId;
        CreatedAt = now;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// Attaches identifiers; returns those that were new to this profile. Anonymous ids come and go with browsers and
    /// devices: beyond <paramref name="anonymousIdCap"/> of them (0: no cap of their own), or when the profile is full,
    /// the oldest makes room, so a new one never fails to link and never pushes out a person identifier.
    /// </summary>
    public IReadOnlyList<CustomerIdentifier> AddIdentifiers(IEnumerable<CustomerIdentifier> identifiers, DateTimeOffset now, int anonymousIdCap = 0)
    {
        List<CustomerIdentifier>? added = null;
        foreach (var id in identifiers)
        {
            if (Identifiers.Contains(id))
            {
                continue;
            }

            if (id.Type == IdentifierType.AnonymousId && anonymousIdCap > 0 && Identifiers.Count(i => i.Type == IdentifierType.AnonymousId) >= anonymousIdCap)
            {
                EvictOldestAnonymousId();
            }

            if (Identifiers.Count >= Limits.MaxIdentifiersPerCustomer && !EvictOldestAnonymousId())
            {
                continue;
            }

            Identifiers.Add(id);
            (added ??= []).Add(id);
            if (id.Type == IdentifierType.AnonymousId)
            {
                (NewDevices ??= new RecentDistinct()).Seen(id.Value, now.UtcTicks);
            }
        }

        if (added is not null)
        {
            UpdatedAt = now;
        }

        return added ?? (IReadOnlyList<CustomerIdentifier>)[];
    }

    private bool EvictOldestAnonymousId()
    {
        var oldest = Identifiers.FindIndex(i => i.Type == IdentifierType.AnonymousId);
        if (oldest < 0)
        {
            return false;
        }

        Identifiers.RemoveAt(oldest);
        return true;
    }

    /// <summary>Applies a traits update; returns an error message instead, changing nothing, when the result would break a limit.</summary>
    public string? ApplyTraits(TraitsUpdate update, DateTimeOffset now)
    {
        if (update.IsEmpty)
        {
            return null;
        }

        var next = TraitsUpdater.Apply(Traits, update);
        if (LimitError(next) is { } error)
        {
            return error;
        }

        RecordNewAddresses(Traits.Addresses, next.Addresses, now);
        Traits = next;
        UpdatedAt = now;
        TraitsUpdatedAt = now;
        if (update.Paths.Contains("consents"))
        {
            RecordConsents(update.Values.Consents);
        }
        return null;
    }

    private void RecordNewAddresses(IReadOnlyList<PostalAddress> before, IReadOnlyList<PostalAddress> after, DateTimeOffset now)
    {
        foreach (var address in after)
        {
            if (!before.Contains(address))
            {
                (NewAddresses ??= new()).Seen(string.Join('\n', [.. address.Lines, address.PostalCode, address.City, address.CountryCode]), now.UtcTicks);
            }
        }
    }

    /// <summary>Why <paramref name="update"/> would be refused, without applying it.</summary>
    public string? CheckTraits(TraitsUpdate update) => update.IsEmpty ? null : LimitError(TraitsUpdater.Apply(Traits, update));

    private static string? LimitError(ProfileTraits traits) =>
        traits.CustomAttributes.Count > Limits.MaxCustomAttributes
            ? $"a customer holds at most {Limits.MaxCustomAttributes} custom attributes"
            : null;

    /// <summary>Counts an event once: a retried event id, or a purchase order already recorded, changes nothing.</summary>
    public TrackOutcome Apply(TrackedEvent e, DateTimeOffset now, TimelineLimits timeline = default, TimeSpan conversionWindow = default)
    {
        _campaignTally = null;
        var eventDigest = EventDeduplicator.Digest(EventKeyPrefix, e.EventId);
        var orderDigest = e.Payload is PurchasePayload p ? EventDeduplicator.Digest(OrderKeyPrefix, p.OrderId) : 0;
        if (Dedupe.Contains(eventDigest) || (orderDigest != 0 && Dedupe.Contains(orderDigest)))
        {
            return TrackOutcome.Duplicate;
        }

        var ticks = e.OccurredAt.UtcTicks;
        Dedupe.Add(eventDigest, new EventTrace
        {
            Type = e.Type,
            OccurredAtTicks = ticks,
            MessageChannel = e.Type == EventType.MessageSent ? (e.Payload as MessagePayload)?.Channel : null,

            // A refund rides on the event's own trace, so a return counted on both records of a merge is taken out once.
            Order = e.Payload is ReturnPayload refund ? new OrderTrace(eventDigest, e.Channel, SharedStrings.Share(refund.Refund), null) : null,
        });
        if (e.Payload is PurchasePayload order)
        {
            Dedupe.Add(orderDigest, new EventTrace
            {
                Type = e.Type,
                OccurredAtTicks = ticks,
                Order = new OrderTrace(eventDigest, e.Channel, SharedStrings.Share(order.Total), order.StoreId is { } store ? SharedStrings.Share(store) : null),
            });
        }

        Counters.Record(e.Type, e.OccurredAt, now);
        switch (e.Payload)
        {
            case PurchasePayload purchase:
                ApplyPurchase(purchase, e.Channel, ticks, conversionWindow);
                break;
            case MessagePayload message:
                ApplyMessage(e.Type, message, e.OccurredAt, now);
                break;
            case CampaignPayload campaign when campaign.Campaign is { } name:
                _campaignTally = (Campaigns ??= new()).Record(name, CampaignHistory.StepOf(e.Type), ticks);
                break;
            case ProductPayload product:
                ApplyProduct(e.Type, product, ticks);
                break;
            case ReturnPayload returned:
                Transactions.RecordReturn(returned.Refund);
                break;
            case ScorePayload score when e.Type == EventType.Satisfaction:
                (Feedback ??= new()).Satisfaction(score.Score, ticks);
                break;
            case ScorePayload review:
                (Feedback ??= new()).Review(review.Score);
                break;
            case SubscriptionPayload subscription:
                (Subscriptions ??= new()).Change(subscription.Plan, e.Type == EventType.SubscriptionStart, ticks);
                break;
        }

        if (VisitCalendar.Counts(e.Type))
        {
            (Visits ??= new()).Record(e.OccurredAt);
        }

        Timeline.Record(e, now, timeline);
        UpdatedAt = now;
        return TrackOutcome.Accepted;
    }

    private void ApplyPurchase(PurchasePayload purchase, Channel channel, long ticks, TimeSpan conversionWindow)
    {
        var at = new DateTimeOffset(ticks, TimeSpan.Zero);
        Transactions.Record(purchase, channel, at);
        foreach (var item in purchase.Items)
        {
            RecordCategory(item.Category, weight: 3);
            Interests.Record(EventType.Purchase, item.Sku, item.Category, at);
            (Products ??= new()).Bought(item.Sku, item.Category, ticks);
        }

        Cart?.Purchased(purchase, channel, ticks);
        if (purchase.PaymentInstrument is { } instrument)
        {
            (PaymentInstruments ??= new()).Seen(instrument, ticks);
        }

        _campaignTally = Campaigns?.Purchased(purchase.Total, ticks, conversionWindow == default ? CampaignHistory.DefaultConversionWindow : conversionWindow);
    }

    private void ApplyProduct(EventType type, ProductPayload product, long ticks)
    {
        switch (type)
        {
            case EventType.ProductView:
                (Products ??= new()).Viewed(product.Sku, product.Category, ticks);
                break;
            case EventType.AddToCart:
                (Cart ??= new()).Add(product, ticks);
                break;
            case EventType.RemoveFromCart:
                Cart?.Remove(product, ticks);
                return;
        }

        var at = new DateTimeOffset(ticks, TimeSpan.Zero);
        Interests.Record(type, product.Sku, product.Category, at);
        RecordCategory(product.Category, weight: type == EventType.AddToCart ? 2 : 1);
    }

    /// <summary>
    /// A campaign message: a sent one counts towards contact caps; an unsubscribe withdraws marketing consent on its
    /// channel, as of when it happened, with the campaign as its source (a later explicit grant still wins).
    /// </summary>
    private void ApplyMessage(EventType type, MessagePayload message, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (type == EventType.MessageSent)
        {
            MessagesSentOn(message.Channel).Record(occurredAt, now);
        }
        else if (type == EventType.Unsubscribe)
        {
            var withdrawal = new ConsentDecision(message.Channel, ConsentStatus.Withdrawn, occurredAt, UnsubscribeSource(message.Campaign));
            Traits = Traits with { Consents = TraitsUpdater.MergeConsents(Traits.Consents, [withdrawal]) };
            RecordConsents([withdrawal]);
        }

        if (message.Campaign is { } campaign)
        {
            _campaignTally = (Campaigns ??= new()).Record(campaign, CampaignHistory.StepOf(type), occurredAt.UtcTicks);
        }
    }

    /// <summary>The consent source an unsubscribe records: the campaign it came through, when known.</summary>
    public static string UnsubscribeSource(string? campaign) => campaign is null ? "unsubscribe" : "unsubscribe:" + campaign;

    /// <summary>
    /// Marks this record as merged into <paramref name="survivorId"/>. From then on it accepts no change (callers are
    /// forwarded), so the copy handed to the survivor is final. Its data stays until <see cref="ClearAfterMerge"/>, so an
    /// interrupted merge can be resumed.
    /// </summary>
    public void BeginMergeInto(string survivorId, DateTimeOffset now)
    {
        MergedInto ??= survivorId;
        UpdatedAt = now;
    }

    /// <summary>
    /// Keeps a change for a possible unmerge of the latest merge; once that merge is final (too old, too many changes
    /// since), the undo data is dropped.
    /// </summary>
    public void RecordForUndo(CustomerChange change)
    {
        if (MergeUndo is { } undo && !undo.Record(change))
        {
            MergeUndo = null;
        }
    }

    /// <summary>
    /// A new merge makes the previous one final: its undo data is dropped before the records are copied for the new
    /// one, so the copy does not carry (and deep-copy) data about to be thrown away.
    /// </summary>
    public void MakeLatestMergeFinal() => MergeUndo = null;

    /// <summary>This merge can be reversed later: <paramref name="undo"/> holds both records as they were just before it.</summary>
    public void StartUndo(MergeUndo undo)
    {
        undo.SurvivorBefore.ForgetUndo();
        undo.AbsorbedBefore.ForgetUndo();
        MergeUndo = undo;
    }

    /// <summary>An earlier merge's undo data is not carried into another record or past a later merge: those merges are final.</summary>
    public void ForgetUndo()
    {
        MergeUndo = null;
        PendingRestore = null;
    }

    /// <summary>Why merge <paramref name="mergeId"/> cannot be reversed now, or null when it can.</summary>
    public string? WhyNotUnmerge(string mergeId, DateTimeOffset now)
    {
        if (HasMerged(mergeId + "/undone"))
        {
            return "this merge was already reversed";
        }

        if (!HasMerged(mergeId))
        {
            return "this customer holds no such merge";
        }

        if (MergeUndo is not { } undo)
        {
            return "this merge is final: a later merge built on it, or it is past the time or number of changes within which a merge can be reversed";
        }

        if (undo.Merge.MergeId != mergeId)
        {
            return $"only the customer's latest merge ({undo.Merge.MergeId}) can be reversed; a later merge built on this one";
        }

        return undo.TooLate(now);
    }

    /// <summary>
    /// This profile, rebuilt by <see cref="Unmerging"/> from itself before the merge, takes the place of
    /// <paramref name="current"/> (the merged survivor, or the absorbed record's tombstone): the journal position,
    /// segment bookkeeping, wake-up and moved identifiers of the record it replaces carry on, and its history shows the
    /// merge and its reversal.
    /// </summary>
    public void TakePlaceOf(CustomerProfile current, MergeRecord merge, MergeRecord unmerge, DateTimeOffset now)
    {
        JournalSequence = current.JournalSequence;
        MembershipVersion = current.MembershipVersion;
        SegmentIds = [.. current.SegmentIds];
        HasWakeup = current.HasWakeup;
        _movedAway = current.MovedAway.Count == 0 ? null : [.. current.MovedAway];
        MergedInto = null;
        MergeCompleted = false;
        PendingRestore = null;
        MergeUndo = null;
        _mergeHistory = [.. MergeHistory.Append(merge).Append(unmerge).OrderBy(m => m.MergedAt).TakeLast(Survivorship.MaxMergeHistory)];
        UpdatedAt = now;
    }

    public void BeginRestore(PendingRestore pending)
    {
        PendingRestore = pending;
        MergeUndo = null;
        var movedAway = _movedAway ??= [];
        foreach (var id in pending.Moved)
        {
            movedAway.RemoveAll(m => m.Identifier == id);
            movedAway.Add(new MovedIdentifier(id, pending.RestoredCustomerId));
        }

        if (movedAway.Count > Limits.MaxIdentifiersPerCustomer * 4)
        {
            movedAway.RemoveRange(0, movedAway.Count - (Limits.MaxIdentifiersPerCustomer * 4));
        }
    }

    public void CompleteRestore() => PendingRestore = null;

    /// <summary>The record an unmerge gave all of <paramref name="linked"/> to, when they all went to the same one.</summary>
    public string? MovedTo(IReadOnlyList<CustomerIdentifier> linked)
    {
        if (MovedAway.Count == 0 || linked.Count == 0)
        {
            return null;
        }

        string? to = null;
        foreach (var id in linked)
        {
            var moved = _movedAway?.Find(m => m.Identifier == id);
            if (moved is null || (to is not null && to != moved.CustomerId) || Identifiers.Contains(id))
            {
                return null;
            }

            to = moved.CustomerId;
        }

        return to;
    }

    public void RemoveIdentifiers(IEnumerable<CustomerIdentifier> identifiers)
    {
        var gone = identifiers.ToHashSet();
        Identifiers.RemoveAll(gone.Contains);
    }

    /// <summary>Drops the data of a record whose merge is complete; what remains is a forwarding tombstone.</summary>
    public void ClearAfterMerge()
    {
        MergeUndo = null;
        PendingRestore = null;
        Identifiers = [];
        Traits = ProfileTraits.Empty;
        ConsentHistory = [];
        Transactions = new TransactionSummary();
        Counters = new BehaviourCounters();
        Dedupe = new EventDeduplicator();
        (_categoryAffinity, _legacyCategoryAffinity) = (null, null);
        (_messagesSent, _legacyMessagesSent) = (null, null);
        Interests = new RecentInterests();
        Timeline = new Timeline();
        Cart = null;
        Products = null;
        Feedback = null;
        Subscriptions = null;
        Visits = null;
        Campaigns = null;
        PaymentInstruments = null;
        NewDevices = null;
        NewAddresses = null;
        SegmentIds = [];
        MergeCompleted = true;
    }

    public bool HasMerged(string mergeId) => _mergeHistory?.Exists(m => m.MergeId == mergeId) == true;

    /// <summary>
    /// Absorbs another record of the same person (see <see cref="Survivorship"/>): identifiers and sets united,
    /// traits by recency, counters and transactions added exactly, with any event or order counted on both sides
    /// (same event id or order id, within the dedupe memory) counted once. <paramref name="absorbed"/> is consumed.
    /// </summary>
    public void Absorb(CustomerProfile absorbed, MergeRecord record, DateTimeOffset now, int anonymousIdCap = 0, TimelineLimits timeline = default)
    {
        if (HasMerged(record.MergeId))
        {
            return;
        }

        Timeline.Absorb(absorbed.Timeline, now, timeline);
        RemoveWhatIsAlreadyCounted(absorbed, now);
        Counters.Absorb(absorbed.Counters, now);
        Interests.Absorb(absorbed.Interests);
        foreach (var (channel, sent) in absorbed.MessagesSent)
        {
            MessagesSentOn(channel).Absorb(sent, now);
        }

        Transactions.Absorb(absorbed.Transactions);
        AbsorbActivity(absorbed);
        foreach (var (digest, trace) in absorbed.Dedupe.Entries())
        {
            if (!Dedupe.Contains(digest))
            {
                Dedupe.Add(digest, trace);
            }
        }

        foreach (var (category, weight) in absorbed.CategoryAffinity)
        {
            BoundedTally.Increment(CompactDictionary.Write(ref _categoryAffinity, ref _legacyCategoryAffinity), category, Limits.MaxTrackedCategories, weight);
        }

        var theirsIsNewer = absorbed.TraitsUpdatedAt > TraitsUpdatedAt || (TraitsUpdatedAt is null && absorbed.TraitsUpdatedAt is not null);
        Traits = theirsIsNewer ? Survivorship.MergeTraits(absorbed.Traits, Traits) : Survivorship.MergeTraits(Traits, absorbed.Traits);
        TraitsUpdatedAt = theirsIsNewer ? absorbed.TraitsUpdatedAt : TraitsUpdatedAt;
        AddIdentifiers(absorbed.Identifiers, now, anonymousIdCap);
        if (absorbed.CreatedAt < CreatedAt)
        {
            CreatedAt = absorbed.CreatedAt;
        }

        _mergeHistory = [.. MergeHistory.Concat(absorbed.MergeHistory).Append(record).OrderBy(m => m.MergedAt).TakeLast(Survivorship.MaxMergeHistory)];
        RecordConsents(absorbed.ConsentHistory);
        UpdatedAt = now;
    }

    private void AbsorbActivity(CustomerProfile absorbed)
    {
        if (absorbed.Cart is { } cart)
        {
            (Cart ??= new()).Absorb(cart);
        }

        if (absorbed.Products is { } products)
        {
            (Products ??= new()).Absorb(products);
        }

        if (absorbed.Feedback is { } feedback)
        {
            (Feedback ??= new()).Absorb(feedback);
        }

        if (absorbed.Subscriptions is { } subscriptions)
        {
            (Subscriptions ??= new()).Absorb(subscriptions);
        }

        if (absorbed.Visits is { } visits)
        {
            (Visits ??= new()).Absorb(visits);
        }

        if (absorbed.Campaigns is { } campaigns)
        {
            (Campaigns ??= new()).Absorb(campaigns);
        }

        if (absorbed.PaymentInstruments is { } instruments)
        {
            (PaymentInstruments ??= new()).Absorb(instruments);
        }

        if (absorbed.NewDevices is { } devices)
        {
            (NewDevices ??= new()).Absorb(devices);
        }

        if (absorbed.NewAddresses is { } addresses)
        {
            (NewAddresses ??= new()).Absorb(addresses);
        }
    }

    /// <summary>Explicit decisions join the history once each, in the order they were made; the oldest go beyond the bound.</summary>
    private void RecordConsents(IEnumerable<ConsentDecision> decisions)
    {
        var added = false;
        foreach (var decision in decisions)
        {
            if (decision.Status != ConsentStatus.Unknown && !ConsentHistory.Contains(decision))
            {
                ConsentHistory.Add(decision);
                added = true;
            }
        }

        if (added)
        {
            ConsentHistory = [.. ConsentHistory.OrderBy(c => c.DecidedAt).TakeLast(Limits.MaxConsentHistory)];
        }
    }

    private void RemoveWhatIsAlreadyCounted(CustomerProfile absorbed, DateTimeOffset now)
    {
        var shared = absorbed.Dedupe.Entries().Where(e => Dedupe.Contains(e.Digest)).ToList();
        var sharedEvents = shared.Select(e => e.Digest).ToHashSet();
        foreach (var (_, trace) in shared)
        {
            var at = new DateTimeOffset(trace.OccurredAtTicks, TimeSpan.Zero);
            if (trace.Type == EventType.Return && trace.Order is { } refund)
            {
                absorbed.Transactions.RemoveReturn(refund.Total);
                absorbed.Counters.Remove(EventType.Return, at, now);
            }
            else if (trace.Order is { } order)
            {
                absorbed.Transactions.Remove(order);
                if (!sharedEvents.Contains(order.EventDigest))
                {
                    // Same order under two event ids: the purchase event itself was counted on both sides too.
                    absorbed.Counters.Remove(EventType.Purchase, at, now);
                }
            }
            else if (trace.Type != 0)
            {
                absorbed.Counters.Remove(trace.Type, at, now);
                if (trace.MessageChannel is { } channel && absorbed.MessagesSent.TryGetValue(channel, out var sent))
                {
                    sent.Remove(at, now);
                }
            }
        }
    }

    private EventCounter MessagesSentOn(ContactChannel channel)
    {
        if (!MessagesSent.TryGetValue(channel, out var counter))
        {
            CompactDictionary.Write(ref _messagesSent, ref _legacyMessagesSent)[channel] = counter = new EventCounter();
        }

        return counter;
    }

    public IReadOnlyList<string> TopCategories(int count = 5) => BoundedTally.Top(CategoryAffinity, count);

    public string? LoyaltyId => FirstIdentifier(IdentifierType.LoyaltyId);

    /// <summary>The first identifier of a type the customer holds (read on every lookup and rule evaluation: no LINQ).</summary>
    public string? FirstIdentifier(IdentifierType type)
    {
        foreach (var identifier in Identifiers)
        {
            if (identifier.Type == type)
            {
                return identifier.Value;
            }
        }

        return null;
    }

    public ConsentStatus ConsentFor(ContactChannel channel) => ConsentRecordFor(channel, ConsentPurpose.Marketing)?.Status ?? ConsentStatus.Unknown;

    /// <summary>
    /// The decision in force for a channel and purpose: the latest of the one for that channel and the one for every
    /// channel (a refusal on a tie); null when the customer never decided.
    /// </summary>
    public ConsentDecision? ConsentRecordFor(ContactChannel channel, ConsentPurpose purpose, string? purposeName = null)
    {
        ConsentDecision? inForce = null;
        foreach (var decision in Traits.Consents)
        {
            if (decision.Purpose == purpose && decision.PurposeName == purposeName && (decision.Channel == channel || decision.Channel == ContactChannel.All)
                && (inForce is null || decision.DecidedAt > inForce.DecidedAt || (decision.DecidedAt == inForce.DecidedAt && decision.Refuses)))
            {
                inForce = decision;
            }
        }

        return inForce;
    }

    /// <summary>Replaces the segment membership; returns the segments entered and left.</summary>
    /// <param name="at">The version becomes at least this instant's ticks, so it keeps growing even when a crash loses
    /// the last snapshot's count: shards holding a newer notice would otherwise ignore this customer for good.</param>
    public (IReadOnlyList<string> Entered, IReadOnlyList<string> Exited) SetSegments(IReadOnlyCollection<string> now, DateTimeOffset at)
    {
        if (now.Count == 0 && SegmentIds.Count == 0)
        {
            return ([], []);
        }

        var entered = now.Except(SegmentIds, StringComparer.Ordinal).ToList();
        var exited = SegmentIds.Except(now, StringComparer.Ordinal).ToList();
        if (entered.Count > 0 || exited.Count > 0)
        {
            SegmentIds = [.. now.Order(StringComparer.Ordinal)];
            MembershipVersion = Math.Max(MembershipVersion + 1, at.UtcTicks);
        }

        return (entered, exited);
    }

    private void RecordCategory(string? category, int weight)
    {
        if (!string.IsNullOrEmpty(category))
        {
            BoundedTally.Increment(CompactDictionary.Write(ref _categoryAffinity, ref _legacyCategoryAffinity), category, Limits.MaxTrackedCategories, weight);
        }
    }

    private const string EventKeyPrefix = "e:";
    private const string OrderKeyPrefix = "o:";
}
