using System.Collections.Concurrent;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>What the engine acknowledged for one customer (keyed by the customer id it answered with).</summary>
public sealed class CustomerTally
{
    public const int EventTypes = 13;
    public readonly long[] Accepted = new long[EventTypes];
    public long Purchases;
    public Identifier? Probe;
}

/// <summary>Counters of a customer before the run, when it already existed (an engine that was not fresh).</summary>
public sealed record Baseline(long[] Lifetime, long Orders)
{
    public static Baseline Zero { get; } = new(new long[CustomerTally.EventTypes], 0);

    public static Baseline From(Profile p)
    {
        var lifetime = new long[CustomerTally.EventTypes];
        foreach (var c in p.Counters)
        {
            var type = (int)c.EventType;
            if (type is > 0 and < CustomerTally.EventTypes)
            {
                lifetime[type] = c.Windows.FirstOrDefault(w => w.Window == CounterWindow.Lifetime)?.Count ?? 0;
            }
        }

        return new Baseline(lifetime, p.Transactions?.OrderCount ?? 0);
    }
}

/// <summary>An event whose call failed in a way that does not tell whether the engine applied it.</summary>
public sealed record UncertainEvent(EventType Type, IReadOnlyList<Identifier> Identifiers, string Code);

/// <summary>
/// The harness's own book of what the engine acknowledged: per customer, ACCEPTED Track outcomes by event type and
/// purchases. After the run it is compared with what the engine's profiles say.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, CustomerTally> _customers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<UncertainEvent> _uncertain = new();
    private readonly ConcurrentQueue<string> _unexpectedDuplicates = new();
    private readonly ConcurrentDictionary<string, string> _mergedInto = new(StringComparer.Ordinal);
    private long _accepted;
    private long _duplicates;
    private long _conflicts;

    public IReadOnlyDictionary<string, CustomerTally> Customers => _customers;

    public IEnumerable<UncertainEvent> Uncertain => _uncertain;

    public long AcceptedEvents => Interlocked.Read(ref _accepted);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long ConflictsSeen => Interlocked.Read(ref _conflicts);

    public IEnumerable<string> UnexpectedDuplicates => _unexpectedDuplicates;

    /// <summary>The engine merged these customers into <paramref name="survivor"/>: their tallies are the survivor's now.</summary>
    public void Merged(string survivor, IEnumerable<string> absorbed)
    {
        foreach (var customerId in absorbed)
        {
            if (customerId != survivor)
            {
                _mergedInto[customerId] = survivor;
            }
        }
    }

    /// <summary>The customer that holds what was acknowledged for <paramref name="customerId"/> after every merge seen.</summary>
    public string Holder(string customerId)
    {
        var current = customerId;
        for (var hop = 0; hop < 64 && _mergedInto.TryGetValue(current, out var next); hop++)
        {
            current = next;
        }

        return current;
    }

    public void Acknowledge(Event e, TrackResponse r)
    {
        Merged(r.CustomerId, r.MergedCustomerIds);
        if (r.Conflicts.Count > 0)
        {
            Interlocked.Add(ref _conflicts, r.Conflicts.Count);
        }

        if (r.Outcome != TrackOutcome.Accepted)
        {
            // Every event id and order id the harness sends is unique: a DUPLICATE means the engine confused two events.
            Interlocked.Increment(ref _duplicates);
            if (_unexpectedDuplicates.Count < 100)
            {
                _unexpectedDuplicates.Enqueue($"{e.EventId} ({e.Type}) for customer {r.CustomerId}: outcome {r.Outcome}");
            }

            return;
        }

        Interlocked.Increment(ref _accepted);
        var tally = _customers.GetOrAdd(r.CustomerId, static _ => new CustomerTally());
        var type = (int)e.Type;
        Interlocked.Increment(ref tally.Accepted[type is > 0 and < CustomerTally.EventTypes ? type : 0]);
        if (e.Type == EventType.Purchase)
        {
            Interlocked.Increment(ref tally.Purchases);
        }

        if (Volatile.Read(ref tally.Probe) is null)
        {
            var conflicting = r.Conflicts.Select(c => Formats.Key(c.Identifier)).ToHashSet(StringComparer.Ordinal);
            var probe = e.Identifiers
                .Where(i => !conflicting.Contains(Formats.Key(i)))
                .OrderBy(i => Strength(i.Type))
                .FirstOrDefault();
            if (probe is not null)
            {
                Interlocked.CompareExchange(ref tally.Probe, probe, null);
            }
        }
    }

    /// <summary>The call failed: INVALID_ARGUMENT means nothing was applied; anything else may or may not have been.</summary>
    public void Failed(Event e, Exception error)
    {
        if (error is RpcException { StatusCode: StatusCode.InvalidArgument })
        {
            return;
        }

        _uncertain.Enqueue(new UncertainEvent(e.Type, [.. e.Identifiers], Metrics.ErrorCode(error)));
    }

    /// <summary>The engine's order: the strongest identifier that has an owner decides the customer.</summary>
    public static int Strength(IdentifierType type) => type switch
    {
        IdentifierType.CrmId => 0,
        IdentifierType.LoyaltyId => 1,
        IdentifierType.Email => 2,
        IdentifierType.Phone => 3,
        _ => 4,
    };
}

/// <summary>For the stitching check: which identifiers of which synthetic person were sent, and who they resolved to.</summary>
public sealed class StitchBook
{
    private readonly ConcurrentDictionary<int, StitchEntry> _people = new();

    public int Count => _people.Count;

    public IEnumerable<KeyValuePair<int, StitchEntry>> People => _people;

    private long _conflicts;

    public long Conflicts => Interlocked.Read(ref _conflicts);

    public void Conflicted(int count) => Interlocked.Add(ref _conflicts, count);

    public void Identified(SyntheticCustomer person, IEnumerable<Identifier> sent, IdentifyResponse response)
    {
        Conflicted(response.Conflicts.Count);
        var entry = _people.GetOrAdd(person.Index, static _ => new StitchEntry());
        lock (entry)
        {
            entry.LastCustomerId = response.CustomerId;
            foreach (var id in sent)
            {
                entry.Sent.Add(id.Type);
            }

            entry.Conflicts += response.Conflicts.Count;
        }
    }
}

public sealed class StitchEntry
{
    public string? LastCustomerId { get; set; }
    public HashSet<IdentifierType> Sent { get; } = [];
    public int Conflicts { get; set; }
}

public sealed record Mismatch(string CustomerId, string Probe, string What, long Expected, long Actual, string Detail);

public sealed record VerificationResult
{
    public bool Skipped { get; init; }
    public int TouchedCustomers { get; init; }
    public int CheckedCustomers { get; init; }
    public long AcceptedEvents { get; init; }
    public long UnexpectedDuplicates { get; init; }
    public int UncertainEvents { get; init; }
    public int BaselinedCustomers { get; init; }
    public int StitchedPeopleChecked { get; init; }
    public int StitchSplits { get; init; }
    public long ConflictsReported { get; init; }
    public List<Mismatch> Mismatches { get; init; } = [];
    public List<string> DuplicateSamples { get; init; } = [];
    public double Seconds { get; init; }
    public bool Passed => Skipped || (Mismatches.Count == 0 && UnexpectedDuplicates == 0 && StitchSplits == 0);
}

/// <summary>Reads every touched profile back (or a sample) and compares its lifetime counters with the ledger.</summary>
public sealed class Verifier(Clients clients, TimeSpan timeout, int concurrency)
{
    public async Task<VerificationResult> VerifyAsync(
        Ledger ledger,
        IReadOnlyDictionary<string, Baseline> baselines,
        StitchBook stitches,
        Population population,
        int sample,
        int seed,
        CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var mismatches = new ConcurrentQueue<Mismatch>();

        // Events whose fate is unknown widen the accepted range of the customer they would have gone to.
        var allowances = new ConcurrentDictionary<string, long[]>(StringComparer.Ordinal);
        var uncertain = ledger.Uncertain.ToList();
        await ForEach(uncertain, async u =>
        {
            foreach (var id in u.Identifiers.OrderBy(i => Ledger.Strength(i.Type)))
            {
                Profile? p;
                try
                {
                    p = await TryGetProfile(new CustomerRef { Identifier = id }, ct);
                }
                catch (RpcException e)
                {
                    mismatches.Enqueue(new Mismatch("?", $"{id.Type}:{id.Value}", "GetProfile", 0, 0, $"could not resolve the owner of an ambiguous failed event: {e.StatusCode}"));
                    break;
                }

                if (p is not null)
                {
                    var a = allowances.GetOrAdd(p.CustomerId, static _ => new long[CustomerTally.EventTypes + 1]);
                    Interlocked.Increment(ref a[(int)u.Type]);
                    if (u.Type == EventType.Purchase)
                    {
                        Interlocked.Increment(ref a[CustomerTally.EventTypes]);
                    }

                    break;
                }
            }
        }, ct);

        // Merged customers hold the sum of what was acknowledged for each record they absorbed.
        var touched = ledger.Customers
            .GroupBy(kv => ledger.Holder(kv.Key), StringComparer.Ordinal)
            .Select(g =>
            {
                var sum = new CustomerTally();
                foreach (var (_, tally) in g)
                {
                    for (var t = 0; t < CustomerTally.EventTypes; t++)
                    {
                        sum.Accepted[t] += Interlocked.Read(ref tally.Accepted[t]);
                    }

                    sum.Purchases += Interlocked.Read(ref tally.Purchases);
                    sum.Probe ??= tally.Probe;
                }

                return new KeyValuePair<string, CustomerTally>(g.Key, sum);
            })
            .ToList();
        var mergedBaselines = ledger.Customers
            .GroupBy(kv => ledger.Holder(kv.Key), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g =>
            {
                var lifetime = new long[CustomerTally.EventTypes];
                long orders = 0;
                foreach (var (customerId, _) in g)
                {
                    var b = baselines.GetValueOrDefault(customerId) ?? Baseline.Zero;
                    for (var t = 0; t < CustomerTally.EventTypes; t++)
                    {
                        lifetime[t] += b.Lifetime[t];
                    }

                    orders += b.Orders;
                }

                return new Baseline(lifetime, orders);
            }, StringComparer.Ordinal);
        var chosen = sample > 0 && touched.Count > Math.Max(sample, 1000)
            ? touched.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList().Shuffle(new Random(seed)).Take(Math.Max(sample, 1000)).ToList()
            : touched;

        await ForEach(chosen, async kv =>
        {
            var (customerId, tally) = (kv.Key, kv.Value);
            var byIdentifier = tally.Probe is not null;
            var reference = byIdentifier ? new CustomerRef { Identifier = tally.Probe } : new CustomerRef { CustomerId = customerId };
            var probeText = byIdentifier ? $"{tally.Probe!.Type}:{tally.Probe.Value}" : "customer_id";
            Profile? profile;
            try
            {
                profile = await TryGetProfile(reference, ct);
            }
            catch (RpcException e)
            {
                mismatches.Enqueue(new Mismatch(customerId, probeText, "GetProfile", 0, 0, $"read failed: {e.StatusCode} {e.Status.Detail}"));
                return;
            }

            if (profile is null)
            {
                mismatches.Enqueue(new Mismatch(customerId, probeText, "GetProfile", 0, 0, "NOT_FOUND: a customer that acknowledged events is gone"));
                return;
            }

            if (profile.CustomerId != customerId)
            {
                mismatches.Enqueue(new Mismatch(customerId, probeText, "customer_id", 0, 0, $"identifier now resolves to {profile.CustomerId}"));
                return;
            }

            var baseline = mergedBaselines.GetValueOrDefault(customerId) ?? Baseline.Zero;
            var now = Baseline.From(profile);
            var allowance = allowances.GetValueOrDefault(customerId) ?? new long[CustomerTally.EventTypes + 1];
            for (var t = 1; t < CustomerTally.EventTypes; t++)
            {
                var expected = Interlocked.Read(ref tally.Accepted[t]);
                var actual = now.Lifetime[t] - baseline.Lifetime[t];
                if (actual < expected || actual > expected + allowance[t])
                {
                    mismatches.Enqueue(new Mismatch(customerId, probeText, $"counters[{(EventType)t}].lifetime", expected, actual,
                        allowance[t] > 0 ? $"up to {allowance[t]} more allowed (calls that failed ambiguously)" : actual < expected ? "acknowledged events lost" : "events counted that were never acknowledged"));
                }
            }

            var purchases = Interlocked.Read(ref tally.Purchases);
            var orders = now.Orders - baseline.Orders;
            if (orders < purchases || orders > purchases + allowance[CustomerTally.EventTypes])
            {
                mismatches.Enqueue(new Mismatch(customerId, probeText, "transactions.order_count", purchases, orders,
                    orders < purchases ? "acknowledged purchases lost" : "orders counted that were never acknowledged"));
            }
        }, ct);

        // Stitching: every identifier sent for one person (one at a time, never concurrently) must lead to one customer.
        var people = stitches.People.ToList();
        if (sample > 0 && people.Count > Math.Max(sample, 1000))
        {
            people = people.OrderBy(p => p.Key).ToList().Shuffle(new Random(seed + 1)).Take(Math.Max(sample, 1000)).ToList();
        }

        var splits = 0;
        await ForEach(people, async kv =>
        {
            var person = population.Get(kv.Key);
            StitchEntry entry = kv.Value;
            string? expectedId;
            IdentifierType[] sent;
            lock (entry)
            {
                expectedId = entry.LastCustomerId;
                sent = [.. entry.Sent];
            }

            var seen = new List<string>();
            foreach (var id in person.CanonicalIdentifiers().Where(i => sent.Contains(i.Type)))
            {
                Profile? p;
                try
                {
                    p = await TryGetProfile(new CustomerRef { Identifier = id }, ct);
                }
                catch (RpcException e)
                {
                    mismatches.Enqueue(new Mismatch(expectedId ?? "?", $"person #{person.Index}", "stitching", 0, 0, $"read failed for {id.Type}:{id.Value}: {e.StatusCode}"));
                    Interlocked.Increment(ref splits);
                    break;
                }

                seen.Add($"{id.Type}:{id.Value} -> {p?.CustomerId ?? "(not found)"}");
                if (p?.CustomerId != expectedId)
                {
                    Interlocked.Increment(ref splits);
                    mismatches.Enqueue(new Mismatch(expectedId ?? "?", $"person #{person.Index}", "stitching", 0, 0,
                        "identifiers of one person resolve to different customers: " + string.Join("; ", seen)));
                    break;
                }
            }
        }, ct);

        return new VerificationResult
        {
            TouchedCustomers = touched.Count,
            CheckedCustomers = chosen.Count,
            AcceptedEvents = ledger.AcceptedEvents,
            UnexpectedDuplicates = ledger.Duplicates,
            DuplicateSamples = [.. ledger.UnexpectedDuplicates],
            UncertainEvents = uncertain.Count,
            BaselinedCustomers = baselines.Count,
            StitchedPeopleChecked = people.Count,
            StitchSplits = splits,
            ConflictsReported = ledger.ConflictsSeen + stitches.Conflicts,
            Mismatches = [.. mismatches.OrderBy(m => m.CustomerId, StringComparer.Ordinal).ThenBy(m => m.What, StringComparer.Ordinal)],
            Seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
        };
    }

    /// <summary>The profile, or null when the engine says NOT_FOUND. Transient failures are retried (3 attempts), then thrown.</summary>
    public async Task<Profile?> TryGetProfile(CustomerRef reference, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await clients.Profile.GetProfileAsync(new GetProfileRequest { Customer = reference }, deadline: DateTime.UtcNow + timeout, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
            catch (RpcException e) when (attempt < 3 && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted)
            {
                await Task.Delay(100 * attempt, ct);
            }
        }
    }

    public Task ForEach<T>(IReadOnlyCollection<T> items, Func<T, Task> body, CancellationToken ct) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(concurrency, 1, 64), CancellationToken = ct }, async (item, _) => await body(item));
}

public static class ListExtensions
{
    /// <summary>Fisher-Yates, deterministic for a given <see cref="Random"/>.</summary>
    public static List<T> Shuffle<T>(this List<T> list, Random r)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = r.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }
}
