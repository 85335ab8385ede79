namespace ProfileGrains.Domain;

/// <summary>
/// Which customer owns each identifier of one shard, as compact as a million customers need: an entry is a 16-byte key,
/// a 16-byte customer id and a time (about 60 bytes with the dictionary's own), and only the rare identifier that
/// changed owner or triggered a merge also has an <see cref="IdentityDetail"/>. Pure and single-threaded: its grain
/// calls it one request at a time and persists the rows each change returns.
/// </summary>
public sealed class IdentityTable
{
    public const int MaxHistory = 20;

    public const string FirstSeen = "first seen";

    private readonly Dictionary<IdentityKey, Entry> _entries = [];
    private readonly Dictionary<IdentityKey, IdentityDetail> _details = [];

    public int Count => _entries.Count;

    public int DetailCount => _details.Count;

    /// <summary>Puts back a stored row (when the shard activates).</summary>
    public void Load(IdentityRow row)
    {
        _entries[row.Key] = new Entry(CompactCustomerId.From(row.CustomerId), row.LinkedAt.UtcTicks);
        if (row.Detail is { } detail)
        {
            _details[row.Key] = detail;
        }
        else
        {
            _details.Remove(row.Key);
        }
    }

    public string? OwnerOf(IdentityKey key) => _entries.TryGetValue(key, out var entry) ? entry.Owner.ToString() : null;

    /// <summary>Makes the customer the owner if there is none. Returns the owner either way, and the row to store if it changed.</summary>
    public (string Owner, IdentityRow? Changed) Claim(IdentityKey key, string customerId, DateTimeOffset now)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            return (entry.Owner.ToString(), null);
        }

        _entries[key] = new Entry(CompactCustomerId.From(customerId), now.UtcTicks);
        return (customerId, new IdentityRow(key, customerId, now, null));
    }

    /// <summary>Moves the identifier to <paramref name="to"/> if <paramref name="from"/> still owns it; returns the owner and the row to store if it changed.</summary>
    public (string? Owner, IdentityRow? Changed) Repoint(IdentityKey key, string from, string to, string reason, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry) || !entry.Owner.Is(from) || from == to)
        {
            return (OwnerOf(key), null);
        }

        var detail = DetailOf(key, entry);
        detail.History.Add(new IdentityLink(to, now, reason));
        if (detail.History.Count > MaxHistory)
        {
            detail.History.RemoveRange(0, detail.History.Count - MaxHistory);
        }

        _entries[key] = new Entry(CompactCustomerId.From(to), now.UtcTicks);
        return (to, new IdentityRow(key, to, now, detail));
    }

    /// <summary>The owner and every change of owner, oldest first (a plain entry's only change is its first claim).</summary>
    public (string? Owner, IReadOnlyList<IdentityLink> History) Explain(IdentityKey key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return (null, []);
        }

        return (entry.Owner.ToString(), _details.TryGetValue(key, out var detail) ? [.. detail.History] : [FirstLink(entry)]);
    }

    /// <summary>
    /// Whether this identifier may join <paramref name="distinctCustomers"/> customers into one now (see
    /// <see cref="IdentifierLinkGuard.ShouldQuarantine"/>): null when it may, and the merge is counted; otherwise why
    /// not. Returns the row to store when the guard changed. An identifier nobody owns takes part in no merge.
    /// </summary>
    public (string? Refusal, IdentityRow? Changed) AuthorizeMerge(IdentityKey key, int distinctCustomers, DateTimeOffset now, IdentityProtectionPolicy policy)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return (null, null);
        }

        var detail = DetailOf(key, entry);
        var wasQuarantined = detail.Guard.IsQuarantined;
        if (detail.Guard.ShouldQuarantine(distinctCustomers, now, policy, out var reason))
        {
            return (reason, wasQuarantined ? null : RowOf(key, entry, detail));
        }

        detail.Guard.RecordLink(now, Math.Max(1, distinctCustomers - 1));
        return (null, RowOf(key, entry, detail));
    }

    private IdentityDetail DetailOf(IdentityKey key, Entry entry)
    {
        if (!_details.TryGetValue(key, out var detail))
        {
            detail = new IdentityDetail { History = [FirstLink(entry)] };
            _details[key] = detail;
        }

        return detail;
    }

    private static IdentityLink FirstLink(Entry entry) => new(entry.Owner.ToString(), entry.LinkedAt, FirstSeen);

    private static IdentityRow RowOf(IdentityKey key, Entry entry, IdentityDetail detail) => new(key, entry.Owner.ToString(), entry.LinkedAt, detail);

    private readonly record struct Entry(CompactCustomerId Owner, long LinkedAtUtcTicks)
    {
        public DateTimeOffset LinkedAt => new(LinkedAtUtcTicks, TimeSpan.Zero);
    }
}
