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
    private readonly HashSet<IdentityKey> _suppressed = [];

    public int Count => _entries.Count;

    public int DetailCount => _details.Count;

    /// <summary>Claims of a suppressed identifier get this owner, which names nobody: the identifier was erased and may not be used.</summary>
    public const string Suppressed = "";

    /// <summary>Puts back a stored row (when the shard activates).</summary>
    public void Load(IdentityRow row)
    {
        if (row.CustomerId.Length == 0)
        {
            _suppressed.Add(row.Key);
            return;
        }

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

    public bool IsSuppressed(IdentityKey key) => _suppressed.Contains(key);

    public string? OwnerOf(IdentityKey key) => _entries.TryGetValue(key, out var entry) ? entry.Owner.ToString() : null;

    /// <summary>Makes the customer the owner if there is none. Returns the owner either way, and the row to store if it changed.</summary>
    public (string Owner, IdentityRow? Changed) Claim(IdentityKey key, string customerId, DateTimeOffset now)
    {
        if (_suppressed.Contains(key))
        {
            return (Suppressed, null);
        }

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
        AddHistory(detail, new IdentityLink(to, now, reason));
        _entries[key] = new Entry(CompactCustomerId.From(to), now.UtcTicks);
        return (to, new IdentityRow(key, to, now, detail));
    }

    /// <summary>
    /// Forgets the identifier if one of <paramref name="erasedCustomers"/> owns it: its owner, history and merge guard
    /// go, so the identifier is unknown again. True when it was removed (its stored row must be deleted).
    /// </summary>
    public bool Erase(IdentityKey key, IReadOnlySet<string> erasedCustomers)
    {
        if (!_entries.TryGetValue(key, out var entry) || !erasedCustomers.Contains(entry.Owner.ToString()))
        {
            return false;
        }

        _entries.Remove(key);
        _details.Remove(key);
        return true;
    }

    /// <summary>
    /// Every identifier one of <paramref name="customers"/> owns, whether or not their profiles still list it (anonymous
    /// ids beyond a profile's cap leave the profile but keep leading to it).
    /// </summary>
    public IReadOnlyList<IdentityKey> KeysOwnedBy(IEnumerable<string> customers)
    {
        var owners = customers.Select(CompactCustomerId.From).ToHashSet();
        List<IdentityKey> owned = [];
        foreach (var (key, entry) in _entries)
        {
            if (owners.Contains(entry.Owner))
            {
                owned.Add(key);
            }
        }

        return owned;
    }

    /// <summary>
    /// After an erasure, when erased people's identifiers may not come back: the identifier, owned by nobody now, can
    /// never be claimed again. Returns the row to store (no owner, no detail), or null when someone owns it already (a
    /// newcomer claimed it between an interrupted erasure and its resumption) or it is suppressed already.
    /// </summary>
    public IdentityRow? Suppress(IdentityKey key, DateTimeOffset now) =>
        _entries.ContainsKey(key) || !_suppressed.Add(key) ? null : new IdentityRow(key, Suppressed, now, null);

    /// <summary>
    /// The owner, every change of owner and quarantine release, oldest first (a plain entry's only change is its first
    /// claim), and the quarantine in force at <paramref name="now"/>.
    /// </summary>
    public (string? Owner, IReadOnlyList<IdentityLink> History, IdentifierQuarantine? Quarantine) Explain(IdentityKey key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return (null, [], null);
        }

        return _details.TryGetValue(key, out var detail)
            ? (entry.Owner.ToString(), [.. detail.History], detail.Guard.QuarantineAt(now))
            : (entry.Owner.ToString(), [FirstLink(entry)], null);
    }

    /// <summary>Identifiers quarantined at <paramref name="now"/>, with their owners, oldest quarantine first.</summary>
    public IReadOnlyList<(IdentityKey Key, string Owner, IdentifierQuarantine Quarantine)> Quarantined(DateTimeOffset now)
    {
        List<(IdentityKey, string, IdentifierQuarantine)> quarantined = [];
        foreach (var (key, detail) in _details)
        {
            if (detail.Guard.QuarantineAt(now) is { } quarantine && _entries.TryGetValue(key, out var entry))
            {
                quarantined.Add((key, entry.Owner.ToString(), quarantine));
            }
        }

        return [.. quarantined.OrderBy(q => q.Item3.Since)];
    }

    /// <summary>
    /// An operator ends an identifier's quarantine: it may merge again, its merges counted afresh, and its history says
    /// who released it and why. Returns the row to store, or null when it was not quarantined (nothing changes).
    /// </summary>
    public IdentityRow? ReleaseQuarantine(IdentityKey key, string reason, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry) || !_details.TryGetValue(key, out var detail) || detail.Guard.QuarantineAt(now) is null)
        {
            return null;
        }

        detail.Guard.Release();
        AddHistory(detail, new IdentityLink(entry.Owner.ToString(), now, "quarantine released: " + reason));
        return RowOf(key, entry, detail);
    }

    /// <summary>
    /// Whether this identifier may join its customer with <paramref name="otherCustomers"/> now (see
    /// <see cref="IdentifierLinkGuard.ShouldQuarantine"/>): null when it may, and the merge is counted once per customer
    /// joined (a request repeating a merge another one already authorized counts nothing); otherwise why not. Returns
    /// the row to store when the guard changed. An identifier nobody owns takes part in no merge.
    /// </summary>
    public (string? Refusal, IdentityRow? Changed) AuthorizeMerge(IdentityKey key, IReadOnlyList<string> otherCustomers, DateTimeOffset now, IdentityProtectionPolicy policy)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return (null, null);
        }

        var detail = DetailOf(key, entry);
        var wasQuarantined = detail.Guard.IsQuarantined;
        var fresh = detail.Guard.NotJoinedRecently(otherCustomers, now);
        if (detail.Guard.ShouldQuarantine(otherCustomers.Count + 1, now, policy, out var reason, newMerges: fresh.Count))
        {
            return (reason, wasQuarantined ? null : RowOf(key, entry, detail));
        }

        if (fresh.Count == 0)
        {
            // Already counted: another request of the same moment authorized this merge.
            return (null, null);
        }

        detail.Guard.RecordLink(now, fresh.Count);
        detail.Guard.RememberJoined(fresh, now);
        return (null, RowOf(key, entry, detail));
    }

    private static void AddHistory(IdentityDetail detail, IdentityLink link)
    {
        detail.History.Add(link);
        if (detail.History.Count > MaxHistory)
        {
            detail.History.RemoveRange(0, detail.History.Count - MaxHistory);
        }
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
