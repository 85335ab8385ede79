namespace ProfileGrains.Domain;

/// <summary>
/// One shard of a segment's membership: who is in, the version of each member's last notice (so a stale or repeated
/// notice changes nothing), and a bounded log of enter/exit changes with sequence numbers for watchers to resume from.
/// The log's sequence numbers hold within one <see cref="Epoch"/>: a shard that did not close cleanly (its silo was
/// killed) may have handed out numbers its stored copy never saw, so it opens a new epoch and old positions are refused.
/// </summary>
[GenerateSerializer, Alias("pg.SegmentShardState")]
public sealed class SegmentShardState
{
    /// <summary>Member → the membership version of the notice that let it in.</summary>
    [Id(0)] public Dictionary<string, long> Members { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Version of the last notice of every customer that has left (bounded with the log), so a late enter is ignored.</summary>
    [Id(1)] public Dictionary<string, long> Departed { get; private set; } = new(StringComparer.Ordinal);

    [Id(2)] public List<MembershipChange> Log { get; private set; } = [];

    /// <summary>Sequence of the last change ever logged (0: none yet).</summary>
    [Id(3)] public long Head { get; private set; }

    /// <summary>Names this run of the log (0: never opened).</summary>
    [Id(4)] public long Epoch { get; private set; }

    /// <summary>Stored as the shard left memory cleanly: its log and head are complete.</summary>
    [Id(5)] public bool Closed { get; private set; }

    /// <summary>
    /// The last position whose change an erasure blanked: a watcher that had not read up to it could miss that an erased
    /// member left, so it is sent to list the members again.
    /// </summary>
    [Id(6)] public long ScrubbedThrough { get; private set; }

    public int Count => Members.Count;

    /// <summary>
    /// Coming into memory: the log continues in its epoch only if it was closed cleanly; otherwise
    /// <paramref name="newEpoch"/> starts a new one. Must be stored before any change is logged.
    /// </summary>
    public void Open(long newEpoch)
    {
        if (!Closed || Epoch == 0)
        {
            Epoch = newEpoch;
        }

        Closed = false;
    }

    /// <summary>Leaving memory cleanly: stored with this flag, the next activation continues the same epoch.</summary>
    public void Close() => Closed = true;

    /// <summary>
    /// Makes the members exactly <paramref name="stored"/> (customer → version), logging every difference so watchers
    /// see it; returns how many changes were logged.
    /// </summary>
    public int Reconcile(IReadOnlyDictionary<string, long> stored, DateTimeOffset now, int logCapacity)
    {
        var logged = 0;
        foreach (var (customerId, version) in Members.Where(m => !stored.ContainsKey(m.Key)).ToList())
        {
            logged += Apply(customerId, false, version, now, logCapacity) is null ? 0 : 1;
        }

        foreach (var (customerId, version) in stored)
        {
            logged += Apply(customerId, true, version, now, logCapacity) is null ? 0 : 1;
        }

        return logged;
    }

    /// <summary>Applies a customer's notice; returns the logged change, or null when it changed nothing or was stale.</summary>
    public MembershipChange? Apply(string customerId, bool isMember, long version, DateTimeOffset now, int logCapacity)
    {
        var known = Members.TryGetValue(customerId, out var memberVersion) ? memberVersion
            : Departed.TryGetValue(customerId, out var departedVersion) ? departedVersion
            : -1;
        if (version < known)
        {
            return null;
        }

        var wasMember = Members.ContainsKey(customerId);
        if (isMember)
        {
            Members[customerId] = version;
            Departed.Remove(customerId);
        }
        else
        {
            Members.Remove(customerId);
            Departed[customerId] = version;
        }

        if (wasMember == isMember)
        {
            return null;
        }

        var change = new MembershipChange(++Head, customerId, isMember, now);
        Log.Add(change);
        if (Log.Count > logCapacity)
        {
            var dropped = Log.Count - logCapacity;
            foreach (var old in Log.Take(dropped))
            {
                if (!old.Entered && Departed.ContainsKey(old.CustomerId) && !Log.Skip(dropped).Any(c => c.CustomerId == old.CustomerId))
                {
                    Departed.Remove(old.CustomerId);
                }
            }

            Log.RemoveRange(0, dropped);
        }

        return change;
    }

    /// <summary>
    /// Changes after <paramref name="afterSequence"/>; Truncated when some of them are no longer retained, Ahead when
    /// the position is past the head (it was never handed out by this log).
    /// </summary>
    public MembershipChanges ReadAfter(long afterSequence, int max)
    {
        if (afterSequence > Head)
        {
            return new MembershipChanges([], Head, false, Epoch, Ahead: true);
        }

        var first = Log.Count > 0 ? Log[0].Sequence : Head + 1;
        var truncated = (afterSequence + 1 < first && afterSequence < Head) || afterSequence < ScrubbedThrough;
        var start = Math.Max(0, (int)Math.Min(Log.Count, afterSequence + 1 - first));
        var changes = Log.Skip(start).Take(max).ToList();
        return new MembershipChanges(changes, Head, truncated, Epoch);
    }

    /// <summary>Members in ordinal order after <paramref name="afterCustomerId"/> (exclusive), at most <paramref name="max"/>.</summary>
    public IReadOnlyList<string> ListAfter(string? afterCustomerId, int max) =>
        [.. Members.Keys
            .Where(id => afterCustomerId is null || string.CompareOrdinal(id, afterCustomerId) > 0)
            .Order(StringComparer.Ordinal)
            .Take(max)];

    /// <summary>
    /// Erasure: the customer is no longer a member, no departure is remembered, and their changes in the log keep their
    /// positions but name nobody (<see cref="MembershipChange.IsErased"/>); a watcher that had not read them all is sent to
    /// list the members again (<see cref="ScrubbedThrough"/>), so a copy of the list kept elsewhere loses them too. True
    /// when anything changed.
    /// </summary>
    public bool Forget(string customerId)
    {
        var changed = Members.Remove(customerId) | Departed.Remove(customerId);
        for (var i = 0; i < Log.Count; i++)
        {
            if (Log[i].CustomerId == customerId)
            {
                Log[i] = Log[i] with { CustomerId = string.Empty };
                ScrubbedThrough = Math.Max(ScrubbedThrough, Log[i].Sequence);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Everyone leaves (the segment was deleted); each departure is logged so watchers see it.</summary>
    public void Clear(DateTimeOffset now, int logCapacity)
    {
        foreach (var (customerId, version) in Members.ToList())
        {
            Apply(customerId, false, version, now, logCapacity);
        }
    }
}
