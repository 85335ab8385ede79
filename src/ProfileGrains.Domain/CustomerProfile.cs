namespace ProfileGrains.Domain;

public enum TrackOutcome
{
    Accepted = 1,
    Duplicate = 2,
}

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
    [Id(8)] public Dictionary<string, int> CategoryAffinity { get; private set; } = [];
    [Id(9)] public List<string> SegmentIds { get; private set; } = [];

    public bool Exists => CreatedAt is not null;

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

    /// <summary>Attaches identifiers; returns those that were new to this profile.</summary>
    public IReadOnlyList<CustomerIdentifier> AddIdentifiers(IEnumerable<CustomerIdentifier> identifiers, DateTimeOffset now)
    {
        List<CustomerIdentifier>? added = null;
        foreach (var id in identifiers)
        {
            if (Identifiers.Contains(id) || Identifiers.Count >= Limits.MaxIdentifiersPerCustomer)
            {
                continue;
            }

            Identifiers.Add(id);
            (added ??= []).Add(id);
        }

        if (added is not null)
        {
            UpdatedAt = now;
        }

        return added ?? (IReadOnlyList<CustomerIdentifier>)[];
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

        Traits = next;
        UpdatedAt = now;
        return null;
    }

    /// <summary>Why <paramref name="update"/> would be refused, without applying it.</summary>
    public string? CheckTraits(TraitsUpdate update) => update.IsEmpty ? null : LimitError(TraitsUpdater.Apply(Traits, update));

    private static string? LimitError(ProfileTraits traits) =>
        traits.CustomAttributes.Count > Limits.MaxCustomAttributes
            ? $"a customer holds at most {Limits.MaxCustomAttributes} custom attributes"
            : null;

    /// <summary>Counts an event once: a retried event id, or a purchase order already recorded, changes nothing.</summary>
    public TrackOutcome Apply(TrackedEvent e, DateTimeOffset now)
    {
        var eventDigest = EventDeduplicator.Digest(EventKeyPrefix, e.EventId);
        var orderDigest = e.Payload is PurchasePayload p ? EventDeduplicator.Digest(OrderKeyPrefix, p.OrderId) : 0;
        if (Dedupe.Contains(eventDigest) || (orderDigest != 0 && Dedupe.Contains(orderDigest)))
        {
            return TrackOutcome.Duplicate;
        }

        Dedupe.Add(eventDigest);
        if (orderDigest != 0)
        {
            Dedupe.Add(orderDigest);
        }

        Counters.Record(e.Type, e.OccurredAt, now);
        switch (e.Payload)
        {
            case PurchasePayload purchase:
                Transactions.Record(purchase, e.Channel, e.OccurredAt);
                foreach (var item in purchase.Items)
                {
                    RecordCategory(item.Category, weight: 3);
                }

                break;
            case ProductPayload product when e.Type != EventType.RemoveFromCart:
                RecordCategory(product.Category, weight: e.Type == EventType.AddToCart ? 2 : 1);
                break;
        }

        UpdatedAt = now;
        return TrackOutcome.Accepted;
    }

    public IReadOnlyList<string> TopCategories(int count = 5) => [.. BoundedTally.Top(CategoryAffinity, count)];

    public string? LoyaltyId => Identifiers.FirstOrDefault(i => i.Type == IdentifierType.LoyaltyId).Value;

    public ConsentStatus ConsentFor(ContactChannel channel) =>
        Traits.Consents.FirstOrDefault(c => c.Channel == channel)?.Status ?? ConsentStatus.Unknown;

    /// <summary>Replaces the segment membership; returns the segments entered and left.</summary>
    public (IReadOnlyList<string> Entered, IReadOnlyList<string> Exited) SetSegments(IReadOnlyCollection<string> now)
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
        }

        return (entered, exited);
    }

    private void RecordCategory(string? category, int weight)
    {
        if (!string.IsNullOrEmpty(category))
        {
            BoundedTally.Increment(CategoryAffinity, category, Limits.MaxTrackedCategories, weight);
        }
    }

    private const string EventKeyPrefix = "e:";
    private const string OrderKeyPrefix = "o:";
}
