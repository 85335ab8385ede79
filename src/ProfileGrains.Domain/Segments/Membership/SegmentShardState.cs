namespace ProfileGrains.Domain;

/// <summary>
/// One shard of a segment's membership: who is in, the version of each member's last notice (so a stale or repeated
/// notice changes nothing), and a bounded log of enter/exit changes with sequence numbers for watchers to resume from.
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

    public int Count => Members.Count;

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

    /// <summary>Changes after <paramref name="afterSequence"/>; Truncated when some of them are no longer retained.</summary>
    public MembershipChanges ReadAfter(long afterSequence, int max)
    {
        var first = Log.Count > 0 ? Log[0].Sequence : Head + 1;
        var truncated = afterSequence + 1 < first && afterSequence < Head;
        var start = Math.Max(0, (int)Math.Min(Log.Count, afterSequence + 1 - first));
        var changes = Log.Skip(start).Take(max).ToList();
        return new MembershipChanges(changes, Head, truncated);
    }

    /// <summary>Members in ordinal order after <paramref name="afterCustomerId"/> (exclusive), at most <paramref name="max"/>.</summary>
    public IReadOnlyList<string> ListAfter(string? afterCustomerId, int max) =>
        [.. Members.Keys
            .Where(id => afterCustomerId is null || string.CompareOrdinal(id, afterCustomerId) > 0)
            .Order(StringComparer.Ordinal)
            .Take(max)];

    /// <summary>Everyone leaves (the segment was deleted); each departure is logged so watchers see it.</summary>
    public void Clear(DateTimeOffset now, int logCapacity)
    {
        foreach (var (customerId, version) in Members.ToList())
        {
            Apply(customerId, false, version, now, logCapacity);
        }
    }
}
