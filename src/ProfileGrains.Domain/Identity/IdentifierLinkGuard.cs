namespace ProfileGrains.Domain;

/// <summary>
/// The recent merges triggered by one identifier, and its quarantine. Pure state for the identifier's grain: before
/// merging, ask <see cref="ShouldQuarantine"/>; if it says no, merge, then <see cref="RecordLink"/> once per customer
/// absorbed. Once quarantined, the identifier merges nothing until its quarantine ends or an operator calls <see cref="Release"/>.
/// Memory is bounded: only links of the last 24 hours are kept, at most
/// <see cref="IdentityProtectionPolicy.MaxLinksPerIdentifierPerDay"/> + 1 of them.
/// </summary>
[GenerateSerializer, Alias("pg.IdentifierLinkGuard")]
public sealed class IdentifierLinkGuard
{
    /// <summary>When each recent link happened, oldest first.</summary>
    [Id(0)] internal List<DateTimeOffset> Links { get; private set; } = [];

    [Id(1)] public IdentifierQuarantine? Quarantined { get; private set; }

    /// <summary>How many links to keep: the policy's daily limit + 1, learnt from the last <see cref="ShouldQuarantine"/>.</summary>
    [Id(2)] internal int Capacity { get; private set; } = IdentityProtectionPolicy.MaxLinksPerDayCeiling + 1;

    /// <summary>
    /// The customers this identifier joined recently (last 24 hours, bounded like the links): a request that sees a merge
    /// already authorized (concurrent requests of one person see the same two records until the merge is done) is the
    /// same merge, not another one.
    /// </summary>
    [Id(3)] internal List<JoinedCustomer> Joined { get; private set; } = [];

    public bool IsQuarantined => Quarantined is not null;

    /// <summary>Of <paramref name="customers"/>, those this identifier has not joined in the 24 hours before <paramref name="now"/>.</summary>
    public IReadOnlyList<string> NotJoinedRecently(IEnumerable<string> customers, DateTimeOffset now) =>
        [.. customers.Where(c => !Joined.Exists(j => j.CustomerId == c && j.At > now - IdentityProtectionPolicy.LinkWindow))];

    /// <summary>Remembers the customers a merge this identifier triggered joined.</summary>
    public void RememberJoined(IEnumerable<string> customers, DateTimeOffset now)
    {
        foreach (var customerId in customers)
        {
            Joined.RemoveAll(j => j.CustomerId == customerId);
            Joined.Add(new JoinedCustomer(customerId, now));
        }

        Prune(now);
    }

    /// <summary>Links recorded in the 24 hours before <paramref name="now"/>.</summary>
    public int RecentLinks(DateTimeOffset now) => Links.Count(t => t > now - IdentityProtectionPolicy.LinkWindow);

    /// <summary>
    /// Whether a request in which this identifier pulls together <paramref name="distinctCustomersInRequest"/>
    /// distinct customers (its own included; so that many minus one merges) must not merge. True when the identifier
    /// is already quarantined, or when the request exceeds <see cref="IdentityProtectionPolicy.MaxCustomersPerIdentifier"/>
    /// or would take the merges of the last 24 hours beyond <see cref="IdentityProtectionPolicy.MaxLinksPerIdentifierPerDay"/>;
    /// in the latter two cases the guard enters quarantine as of <paramref name="now"/>.
    /// A request that merges nothing (one customer or none) is never refused unless already quarantined.
    /// </summary>
    /// <param name="newMerges">Of those merges, how many are not already counted (see <see cref="NotJoinedRecently"/>); all when null.</param>
    public bool ShouldQuarantine(int distinctCustomersInRequest, DateTimeOffset now, IdentityProtectionPolicy policy, out string reason, int? newMerges = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(distinctCustomersInRequest);
        ArgumentNullException.ThrowIfNull(policy);

        Capacity = policy.MaxLinksPerIdentifierPerDay + 1;
        Prune(now);
        if (Quarantined is { } q && q.IsOver(now))
        {
            // Served its time: it may merge again, its merges counted afresh.
            Release();
        }

        if (Quarantined is { } current)
        {
            reason = current.ToString();
            return true;
        }

        var merges = newMerges ?? Math.Max(0, distinctCustomersInRequest - 1);
        if (merges == 0)
        {
            reason = string.Empty;
            return false;
        }

        if (distinctCustomersInRequest > policy.MaxCustomersPerIdentifier)
        {
            reason = $"it would merge {distinctCustomersInRequest} customers in one request; at most {policy.MaxCustomersPerIdentifier} are allowed";
            Quarantined = new IdentifierQuarantine(now, reason, policy.QuarantineEnd(now));
            return true;
        }

        var recent = RecentLinks(now);
        if (recent + merges > policy.MaxLinksPerIdentifierPerDay)
        {
            reason = $"it already triggered {recent} merge{(recent == 1 ? string.Empty : "s")} in the last 24 hours; at most {policy.MaxLinksPerIdentifierPerDay} are allowed";
            Quarantined = new IdentifierQuarantine(now, reason, policy.QuarantineEnd(now));
            return true;
        }

        reason = string.Empty;
        return false;
    }

    /// <summary>Records <paramref name="merges"/> merges (one per customer absorbed) triggered by this identifier at <paramref name="now"/>.</summary>
    public void RecordLink(DateTimeOffset now, int merges = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(merges);
        for (var i = 0; i < Math.Min(merges, Capacity); i++)
        {
            // Kept sorted: clocks of different silos may disagree a little.
            var index = Links.FindLastIndex(t => t <= now) + 1;
            Links.Insert(index, now);
        }

        Prune(now);
    }

    /// <summary>The quarantine in force at <paramref name="now"/>, if any (one whose time is over no longer counts).</summary>
    public IdentifierQuarantine? QuarantineAt(DateTimeOffset now) => Quarantined is { } q && !q.IsOver(now) ? q : null;

    /// <summary>Ends the quarantine and forgets past links: its time is over, or an operator vouched for the identifier.</summary>
    public void Release()
    {
        Quarantined = null;
        Links.Clear();
        Joined.Clear();
    }

    private void Prune(DateTimeOffset now)
    {
        var horizon = now - IdentityProtectionPolicy.LinkWindow;
        Links.RemoveAll(t => t <= horizon);
        if (Links.Count > Capacity)
        {
            Links.RemoveRange(0, Links.Count - Capacity);
        }

        Joined.RemoveAll(j => j.At <= horizon);
        if (Joined.Count > Capacity)
        {
            Joined.RemoveRange(0, Joined.Count - Capacity);
        }
    }
}
