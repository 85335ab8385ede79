using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

public sealed record QualitySettings
{
    public required IReadOnlyList<Uri> Targets { get; init; }
    public int People { get; init; }
    public int Seed { get; init; }
    public double JunkRate { get; init; }
    public int AnonymousSessions { get; init; }
    public int Concurrency { get; init; }
    public TimeSpan MaxTime { get; init; }
    public TimeSpan Timeout { get; init; }
    public required string Out { get; init; }
    public double MaxErrorRate { get; init; }
    public int ChannelsPerTarget { get; init; }
    public bool RequireRecall { get; init; }
}

/// <summary>
/// `quality`: identity resolution measured against a known truth. Synthetic people are seen through several channels
/// with their identifiers spelled differently (and a few shared junk identifiers); every observation goes through
/// Identify in a seeded random order; then every spelling sent is read back (GetProfile by identifier) and the engine's
/// clustering (customer id → identifiers) is compared with the true one: pairwise precision and recall, collapsed
/// profiles, split people.
/// </summary>
public static class QualityCommand
{
    /// <summary>Exit code when precision, collapsed profiles or format-variant recall (or, with --require-recall, recall) miss their target.</summary>
    public const int TargetsMissed = 4;

    public const double PrecisionTarget = 0.999;
    public const double RecallTarget = 0.99;

    private enum Outcome : byte
    {
        NotSent,
        Acknowledged,
        Refused,   // INVALID_ARGUMENT and the like: nothing applied
        Uncertain, // deadline, unavailable...: may or may not have been applied
    }

    private sealed record ConflictSeen(int Observation, SentId Sent, string Owner, string Reason);

    /// <summary>One distinct spelling of one person's real identifier, and the customer the engine answers for it.</summary>
    private sealed class Item(int person, SentId id)
    {
        public int Person { get; } = person;
        public SentId Id { get; } = id;
        public string? Customer { get; set; }
        public string? Error { get; set; }
        public bool Read { get; set; }
    }

    public static async Task<int> ExecuteAsync(QualitySettings s, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var runTag = $"{s.Seed}-{startedAt.ToUnixTimeMilliseconds():x}";
        using var clients = new Clients(s.Targets, s.ChannelsPerTarget);
        if (!await Preflight.EchoAsync(clients, s.Targets, ct))
        {
            return ExitCodes.EngineUnreachable;
        }

        var world = IdentityWorld.Build(s.Seed, s.People, s.JunkRate, s.AnonymousSessions);
        var observations = world.Observations;
        var junkObservations = observations.Count(o => o.Junk);
        Progress.Line($"quality: {s.People:N0} people, {observations.Count - junkObservations:N0} observations + {junkObservations:N0} with junk identifiers ({string.Join(", ", world.JunkValues)}), seed {s.Seed}, {s.Concurrency} workers, at most {s.MaxTime.TotalSeconds:0.#} s per phase");

        var notes = new List<string>();
        var verifier = new Verifier(clients, s.Timeout, Math.Min(s.Concurrency, 64));

        // 0. Is the engine fresh for this population? Identifiers it already knows would make the figures meaningless.
        var probePeople = world.People.Take(500).ToList();
        var known = 0;
        var probeMetrics = new Metrics();
        var probe = Bounded(probePeople.Count, s.Concurrency, Stopwatch.GetTimestamp() + Ticks(s.MaxTime), async i =>
        {
            var p = probePeople[i];
            foreach (var id in new[]
            {
                new Identifier { Type = IdentifierType.Email, Value = p.Customer.EmailCanonical },
                new Identifier { Type = IdentifierType.Phone, Value = p.Customer.PhoneE164 },
                new Identifier { Type = IdentifierType.LoyaltyId, Value = p.Customer.LoyaltyId },
            })
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    var profile = await verifier.TryGetProfile(new CustomerRef { Identifier = id }, ct);
                    probeMetrics.Record("GetProfile", t0, Stopwatch.GetTimestamp(), null);
                    if (profile is not null)
                    {
                        Interlocked.Increment(ref known);
                    }
                }
                catch (RpcException e)
                {
                    probeMetrics.Record("GetProfile", t0, Stopwatch.GetTimestamp(), e.StatusCode.ToString());
                }
            }
        }, ct);
        await Progress.ShowAsync("freshness probe", probeMetrics, TimeSpan.Zero, probe);
        var junkKnown = new List<string>();
        foreach (var junk in observations.Where(o => o.Junk).SelectMany(o => o.Ids).Where(i => i.Junk).DistinctBy(i => i.Truth).OrderBy(i => i.Truth, StringComparer.Ordinal))
        {
            if (await verifier.TryGetProfile(new CustomerRef { Identifier = junk.ToProto() }, ct) is { } owner)
            {
                junkKnown.Add($"{junk.Truth} (customer {owner.CustomerId})");
            }
        }

        if (junkKnown.Count > 0)
        {
            var note = $"junk identifiers already owned before this run (earlier runs share them): {string.Join(", ", junkKnown)}; their profiles may hold people of earlier runs (not counted here)";
            notes.Add(note);
            Progress.Line("note: " + note);
        }

        if (known > 0)
        {
            var note = $"the engine already knew {known} of {probePeople.Count * 3} probed identifiers of this population (an earlier `quality` run with seed {s.Seed}?): the figures mix with that state; restart the engine or use another --seed";
            notes.Add(note);
            Progress.Line("warning: " + note);
        }

        // 1. Ingest every observation through Identify, in a seeded random order.
        var order = Enumerable.Range(0, observations.Count).ToList().Shuffle(new Random(Seeds.Mix(s.Seed, observations.Count, 41)));
        var outcomes = new Outcome[observations.Count];
        var conflicts = new ConcurrentQueue<ConflictSeen>();
        long conflictsReported = 0;
        long mergesReported = 0;
        long junkMerges = 0;
        var ingestMetrics = new Metrics();
        var ingestCpu = CpuSample.Take((int?)null);
        var ingestStarted = Stopwatch.GetTimestamp();
        var ingest = Bounded(order.Count, s.Concurrency, ingestStarted + Ticks(s.MaxTime), async k =>
        {
            var index = order[k];
            var observation = observations[index];
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                var response = await clients.Profile.IdentifyAsync(observation.ToRequest(), deadline: DateTime.UtcNow + s.Timeout, cancellationToken: ct);
                ingestMetrics.Record("Identify", t0, Stopwatch.GetTimestamp(), null);
                outcomes[index] = Outcome.Acknowledged;
                Interlocked.Add(ref conflictsReported, response.Conflicts.Count);
                Interlocked.Add(ref mergesReported, response.MergedCustomerIds.Count);
                if (observation.Junk)
                {
                    Interlocked.Add(ref junkMerges, response.MergedCustomerIds.Count);
                }
                foreach (var c in response.Conflicts)
                {
                    var key = Formats.Key(c.Identifier);
                    var sent = observation.Ids.FirstOrDefault(i => Formats.Key(i.ToProto()) == key)
                        ?? new SentId(c.Identifier.Type, IdentityWorld.Truth(c.Identifier.Type, c.Identifier.Value), c.Identifier.Value, false);
                    conflicts.Enqueue(new ConflictSeen(index, sent, c.OwnerCustomerId, c.Reason));
                }
            }
            catch (RpcException e)
            {
                ingestMetrics.Record("Identify", t0, Stopwatch.GetTimestamp(), e.StatusCode.ToString());
                outcomes[index] = e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange ? Outcome.Refused : Outcome.Uncertain;
                if (e.StatusCode == StatusCode.InvalidArgument && ingestMetrics.Failed <= 3)
                {
                    await Console.Error.WriteLineAsync($"Identify refused ({string.Join(", ", observation.Ids.Select(i => $"{i.Type}:'{i.Wire}'"))}): {e.Status.Detail}");
                }
            }
        }, ct);
        await Progress.ShowAsync("ingest (Identify)", ingestMetrics, s.MaxTime, ingest);
        var ingestSeconds = Stopwatch.GetElapsedTime(ingestStarted).TotalSeconds;
        var ingestPhase = PhaseReport.From("ingest", new LoadModel(s.Concurrency, 0, 0, 0), new PhaseRun(ingestMetrics, ingestSeconds, 0, 0, 0)).WithCpu(ingestCpu, CpuSample.Take((int?)null));

        // 2. Read back every distinct spelling of every real identifier that was acknowledged, and every junk value.
        var items = new List<Item>();
        var itemKeys = new HashSet<(int, string, string)>();
        var junkSent = new SortedDictionary<string, SentId>(StringComparer.Ordinal);
        for (var i = 0; i < observations.Count; i++)
        {
            if (outcomes[i] != Outcome.Acknowledged)
            {
                continue;
            }

            foreach (var id in observations[i].Ids)
            {
                if (id.Junk)
                {
                    junkSent.TryAdd(id.Truth, id);
                }
                else if (itemKeys.Add((observations[i].Person, id.Truth, id.Wire)))
                {
                    items.Add(new Item(observations[i].Person, id));
                }
            }
        }

        // Lookups in the usual spellings that were never sent (a till typing the card number in lower case).
        var probes = new List<Item>();
        foreach (var sentByValue in items.GroupBy(i => (i.Person, i.Id.Truth, i.Id.Type)))
        {
            var wires = sentByValue.Select(i => i.Id.Wire).ToHashSet(StringComparer.Ordinal);
            foreach (var spelling in IdentityWorld.StandardSpellings(world.People[sentByValue.Key.Person], sentByValue.Key.Type).Distinct(StringComparer.Ordinal))
            {
                if (!wires.Contains(spelling))
                {
                    probes.Add(new Item(sentByValue.Key.Person, new SentId(sentByValue.Key.Type, sentByValue.Key.Truth, spelling, false)));
                }
            }
        }

        var junkOwners = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var junkList = junkSent.Values.ToList();
        var profiles = new ConcurrentDictionary<string, Profile>(StringComparer.Ordinal);
        var readMetrics = new Metrics();
        var readCpu = CpuSample.Take((int?)null);
        var readStarted = Stopwatch.GetTimestamp();
        var readBack = Bounded(items.Count + probes.Count + junkList.Count, s.Concurrency, readStarted + Ticks(s.MaxTime), async k =>
        {
            var item = k < items.Count ? items[k] : k < items.Count + probes.Count ? probes[k - items.Count] : null;
            var id = item?.Id ?? junkList[k - items.Count - probes.Count];
            var t0 = Stopwatch.GetTimestamp();
            string? customer = null;
            string? error = null;
            try
            {
                var profile = await verifier.TryGetProfile(new CustomerRef { Identifier = id.ToProto() }, ct);
                readMetrics.Record("GetProfile", t0, Stopwatch.GetTimestamp(), null);
                if (profile is not null)
                {
                    customer = profile.CustomerId;
                    profiles.TryAdd(profile.CustomerId, profile);
                }
            }
            catch (RpcException e)
            {
                readMetrics.Record("GetProfile", t0, Stopwatch.GetTimestamp(), e.StatusCode.ToString());
                error = e.StatusCode.ToString();
            }

            if (item is not null)
            {
                item.Customer = customer;
                item.Error = error;
                item.Read = true;
            }
            else if (customer is not null)
            {
                junkOwners[id.Truth] = customer;
            }
        }, ct);
        await Progress.ShowAsync("read back (GetProfile)", readMetrics, s.MaxTime, readBack);
        var readSeconds = Stopwatch.GetElapsedTime(readStarted).TotalSeconds;
        var readPhase = PhaseReport.From("read back", new LoadModel(s.Concurrency, 0, 0, 0), new PhaseRun(readMetrics, readSeconds, 0, 0, 0)).WithCpu(readCpu, CpuSample.Take((int?)null));

        // 3. Compare the engine's clustering with the truth.
        // Spellings not read back (--max-time) say nothing either way: they are left out of the figures (and the run fails).
        var readItems = items.Where(i => i.Read).ToList();
        var figures = Evaluate(observations, outcomes, readItems, [.. conflicts], conflictsReported, junkOwners, profiles, out var details) with
        {
            UnsentSpellings = Lookups(readItems, probes),
            MergesReported = mergesReported,
            MergesOnJunkObservations = junkMerges,
        };

        // 4. Verdict.
        var checks = new List<QualityCheck>
        {
            new("pairwise precision", figures.Precision, Pct(figures.Precision), $">= {Pct(PrecisionTarget)}", figures.Precision >= PrecisionTarget, true, null),
            new("recall, format variants", figures.FormatVariantRecall, Pct(figures.FormatVariantRecall), "100 %", figures.FormatVariantRecall >= 1.0, true,
                figures.FormatVariantPairs == 0 ? "no format-variant pair was sent" : "the same value in other spellings must always resolve to the same customer"),
            new("collapsed profiles", figures.CollapsedProfiles, figures.CollapsedProfiles.ToString("N0", CultureInfo.InvariantCulture), "0", figures.CollapsedProfiles == 0, true,
                "customers holding identifiers of 2+ true people"),
            new("recall, cross-identifier", figures.CrossRecall, Pct(figures.CrossRecall), $">= {Pct(RecallTarget)}", figures.CrossRecall >= RecallTarget, s.RequireRecall,
                s.RequireRecall ? "--require-recall: enforced" : "reported only: linking two identifiers first seen apart needs the engine to merge profiles (--require-recall enforces it)"),
            new("recall, all linkable pairs", figures.Recall, Pct(figures.Recall), $">= {Pct(RecallTarget)}", figures.Recall >= RecallTarget, false, "reported only"),
            new("lookup by spellings never sent", figures.UnsentSpellings.Rate, Pct(figures.UnsentSpellings.Rate), "100 %", figures.UnsentSpellings.Rate >= 1.0, false,
                "reported only: GetProfile by usual spellings of a value that only came in other spellings must find the same customer"),
        };

        var failures = new List<string>();
        var exit = ExitCodes.Ok;
        foreach (var check in checks.Where(c => c.Enforced && !c.Met))
        {
            failures.Add($"{check.Measure} {check.Display} (target {check.Target})");
            exit = TargetsMissed;
        }

        var sent = outcomes.Count(o => o != Outcome.NotSent);
        var errorRate = ingestMetrics.Calls + readMetrics.Calls > 0 ? (double)(ingestMetrics.Failed + readMetrics.Failed) / (ingestMetrics.Calls + readMetrics.Calls) : 0;
        if (errorRate > s.MaxErrorRate)
        {
            failures.Add($"{ingestMetrics.Failed + readMetrics.Failed} of {ingestMetrics.Calls + readMetrics.Calls} calls failed ({errorRate:P3} > {s.MaxErrorRate:P2})");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        if (sent < observations.Count)
        {
            failures.Add($"only {sent} of {observations.Count} observations sent before --max-time ({s.MaxTime.TotalSeconds:0.#} s)");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        var unread = items.Count(i => !i.Read) + probes.Count(i => !i.Read);
        if (unread > 0)
        {
            failures.Add($"{unread} of {items.Count + probes.Count} identifiers not read back before --max-time ({s.MaxTime.TotalSeconds:0.#} s)");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        if (items.Count == 0)
        {
            failures.Add("no identifier was acknowledged: nothing to measure");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        var report = new QualityReport
        {
            StartedAt = startedAt,
            RunTag = runTag,
            Targets = [.. s.Targets.Select(t => t.ToString())],
            Settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["people"] = s.People.ToString(CultureInfo.InvariantCulture),
                ["seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
                ["junk-rate"] = s.JunkRate.ToString("0.####", CultureInfo.InvariantCulture),
                ["anonymous-sessions"] = s.AnonymousSessions.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = s.Concurrency.ToString(CultureInfo.InvariantCulture),
                ["max-time"] = $"{s.MaxTime.TotalSeconds:0.###}s",
                ["timeout"] = $"{s.Timeout.TotalSeconds:0.###}s",
                ["require-recall"] = s.RequireRecall ? "yes" : "no",
            },
            World = new QualityWorld
            {
                People = world.People.Count,
                Observations = observations.Count - junkObservations,
                JunkObservations = junkObservations,
                ByChannel = observations.Where(o => !o.Junk).GroupBy(o => ChannelName(o.Channel)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                JunkValues = [.. world.JunkValues],
                RealIdentifiers = items.Select(i => i.Id.Truth).Distinct(StringComparer.Ordinal).Count(),
                Spellings = items.Count,
                Sent = sent,
                Acknowledged = outcomes.Count(o => o == Outcome.Acknowledged),
                Refused = outcomes.Count(o => o == Outcome.Refused),
                Uncertain = outcomes.Count(o => o == Outcome.Uncertain),
                PreexistingIdentifiers = known,
                PreexistingProbes = probePeople.Count * 3,
            },
            Phases = [ingestPhase, readPhase],
            Figures = figures,
            Checks = checks,
            Collapsed = details.Collapsed,
            SplitSamples = details.Splits,
            VariantSplitSamples = details.VariantSplits,
            JunkOwners = details.JunkOwners,
            ErrorRate = errorRate,
            MaxErrorRate = s.MaxErrorRate,
            Notes = notes,
            Failures = failures,
            ExitCode = exit,
        };

        return ReportFiles.Print(QualityReportWriter.Markdown(report), QualityReportWriter.Write(report, s.Out), exit);
    }

    private sealed record Details(List<CollapsedProfile> Collapsed, List<string> Splits, List<string> VariantSplits, Dictionary<string, string> JunkOwners);

    private static QualityFigures Evaluate(
        IReadOnlyList<Observation> observations,
        Outcome[] outcomes,
        List<Item> items,
        List<ConflictSeen> conflicts,
        long conflictsReported,
        IReadOnlyDictionary<string, string> junkOwners,
        IReadOnlyDictionary<string, Profile> profiles,
        out Details details)
    {
        // Which of a person's identifiers the observations link together (transitively): only those can be expected
        // in one profile. Format variants of one value are always linkable.
        var links = new Dictionary<int, UnionFind>();
        for (var i = 0; i < observations.Count; i++)
        {
            if (outcomes[i] != Outcome.Acknowledged)
            {
                continue;
            }

            var o = observations[i];
            if (!links.TryGetValue(o.Person, out var uf))
            {
                links[o.Person] = uf = new UnionFind();
            }

            var real = o.Ids.Where(id => !id.Junk).Select(id => id.Truth).ToList();
            foreach (var truth in real)
            {
                uf.Union(real[0], truth);
            }
        }

        // An identifier the engine does not know (or failed to read) is a cluster of its own.
        string Cluster(int index) => items[index].Customer ?? $"(missing #{index})";

        long variantPairs = 0, variantTogether = 0, crossPairs = 0, crossTogether = 0, unlinkablePairs = 0, unlinkableTogether = 0;
        var variantByType = new SortedDictionary<string, PairCount>(StringComparer.Ordinal);
        var crossByKind = new SortedDictionary<string, PairCount>(StringComparer.Ordinal);
        var byPerson = Enumerable.Range(0, items.Count).GroupBy(i => items[i].Person).ToList();
        var splitPeople = 0;
        var splitLinkable = 0;
        var variantSplits = 0;
        var splitSamples = new List<string>();
        var variantSplitSamples = new List<string>();
        foreach (var group in byPerson)
        {
            var mine = group.ToList();
            var uf = links.GetValueOrDefault(group.Key) ?? new UnionFind();
            for (var a = 0; a < mine.Count; a++)
            {
                for (var b = a + 1; b < mine.Count; b++)
                {
                    var (x, y) = (items[mine[a]], items[mine[b]]);
                    var together = Cluster(mine[a]) == Cluster(mine[b]);
                    if (x.Id.Truth == y.Id.Truth)
                    {
                        variantPairs++;
                        variantTogether += together ? 1 : 0;
                        Count(variantByType, TypeName(x.Id.Type), together);
                    }
                    else if (uf.Find(x.Id.Truth) == uf.Find(y.Id.Truth))
                    {
                        crossPairs++;
                        crossTogether += together ? 1 : 0;
                        var kinds = new[] { TypeName(x.Id.Type), TypeName(y.Id.Type) }.Order(StringComparer.Ordinal).ToArray();
                        Count(crossByKind, $"{kinds[0]} + {kinds[1]}", together);
                    }
                    else
                    {
                        unlinkablePairs++;
                        unlinkableTogether += together ? 1 : 0;
                    }
                }
            }

            var customers = mine.Where(i => items[i].Customer is not null).Select(i => items[i].Customer!).Distinct(StringComparer.Ordinal).ToList();
            splitPeople += customers.Count > 1 ? 1 : 0;

            // Split where it should not be: identifiers the observations link, in 2+ customers (or not found).
            var components = mine.GroupBy(i => uf.Find(items[i].Id.Truth), StringComparer.Ordinal);
            if (components.Any(c => c.Select(Cluster).Distinct(StringComparer.Ordinal).Count() > 1))
            {
                splitLinkable++;
                if (splitSamples.Count < 20)
                {
                    splitSamples.Add($"person #{group.Key}: " + string.Join("; ", mine.GroupBy(i => items[i].Customer ?? "(not found)", StringComparer.Ordinal)
                        .Select(g => $"{Short(g.Key)} ← {string.Join(", ", g.Select(i => items[i].Id.Truth).Distinct(StringComparer.Ordinal))}")));
                }
            }

            foreach (var value in mine.GroupBy(i => items[i].Id.Truth, StringComparer.Ordinal))
            {
                if (value.Select(Cluster).Distinct(StringComparer.Ordinal).Count() > 1)
                {
                    variantSplits++;
                    if (variantSplitSamples.Count < 20)
                    {
                        variantSplitSamples.Add($"person #{group.Key} {value.Key}: " + string.Join(", ", value.Select(i => $"'{items[i].Id.Wire}' → {Short(items[i].Customer ?? "(not found" + (items[i].Error is { } e ? ": " + e : string.Empty) + ")")}")));
                    }
                }
            }
        }

        // False positives: pairs of different people's identifiers that share a customer.
        long falsePositives = 0;
        var collapsed = new List<CollapsedProfile>();
        var peopleOf = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var junkByCustomer = junkOwners.GroupBy(kv => kv.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var collapsedPeople = new HashSet<int>();
        foreach (var customer in Enumerable.Range(0, items.Count).Where(i => items[i].Customer is not null).GroupBy(i => items[i].Customer!, StringComparer.Ordinal))
        {
            var n = (long)customer.Count();
            var perPerson = customer.GroupBy(i => items[i].Person).ToList();
            peopleOf[customer.Key] = [.. perPerson.Select(g => g.Key)];
            falsePositives += (n * (n - 1) / 2) - perPerson.Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
            if (perPerson.Count > 1)
            {
                collapsedPeople.UnionWith(perPerson.Select(g => g.Key));
                collapsed.Add(new CollapsedProfile
                {
                    CustomerId = customer.Key,
                    People = [.. perPerson.Select(g => g.Key).Order()],
                    Identifiers = (int)n,
                    JunkIdentifiers = junkByCustomer.GetValueOrDefault(customer.Key) ?? [],
                });
            }
        }

        collapsed = [.. collapsed.OrderByDescending(c => c.People.Count).ThenBy(c => c.CustomerId, StringComparer.Ordinal)];

        // Conflicts the engine reported, by what they were about.
        long onJunk = 0, samePerson = 0, otherPerson = 0, overLimit = 0, unknownOwner = 0;
        foreach (var c in conflicts)
        {
            if (string.IsNullOrEmpty(c.Owner))
            {
                overLimit++;
            }
            else if (c.Sent.Junk)
            {
                onJunk++;
            }
            else if (peopleOf.TryGetValue(c.Owner, out var owners) && owners.Count > 0)
            {
                if (owners.Contains(observations[c.Observation].Person))
                {
                    samePerson++;
                }
                else
                {
                    otherPerson++;
                }
            }
            else
            {
                unknownOwner++;
            }
        }

        // One value held by a profile under several spellings (the engine did not fold them into one identifier).
        var multiSpellingValues = 0;
        var multiSpellingProfiles = 0;
        var multiSpellingByType = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var profile in profiles.Values)
        {
            var repeated = profile.Identifiers.GroupBy(i => IdentityWorld.Truth(i.Type, i.Value), StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            multiSpellingValues += repeated.Count;
            multiSpellingProfiles += repeated.Count > 0 ? 1 : 0;
            foreach (var g in repeated)
            {
                multiSpellingByType[TypeName(g.First().Type)] = multiSpellingByType.GetValueOrDefault(TypeName(g.First().Type)) + 1;
            }
        }

        // An identifier that leads to a customer should be listed in that customer's profile.
        var listed = profiles.ToDictionary(kv => kv.Key, kv => kv.Value.Identifiers.Select(Formats.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var unlisted = items.Where(i => i.Customer is not null && listed.TryGetValue(i.Customer, out var keys) && !keys.Contains(Formats.Key(i.Id.ToProto())))
            .Select(i => Formats.Key(i.Id.ToProto())).Distinct(StringComparer.Ordinal).Count();

        var truePositives = variantTogether + crossTogether + unlinkableTogether;
        details = new Details(
            collapsed,
            splitSamples,
            variantSplitSamples,
            junkOwners.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(
                kv => kv.Key,
                kv => $"{kv.Value} ({(peopleOf.TryGetValue(kv.Value, out var ps) ? ps.Count : 0)} true people)",
                StringComparer.Ordinal));
        return new QualityFigures
        {
            LargestProfileIdentifiers = profiles.Values.Select(p => p.Identifiers.Count).DefaultIfEmpty(0).Max(),
            ResolvedButNotListed = unlisted,
            Precision = Ratio(truePositives, truePositives + falsePositives),
            Recall = Ratio(variantTogether + crossTogether, variantPairs + crossPairs),
            FormatVariantRecall = Ratio(variantTogether, variantPairs),
            FormatVariantRecallByType = variantByType.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            CrossRecall = Ratio(crossTogether, crossPairs),
            CrossRecallByKind = crossByKind.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            TruePositivePairs = truePositives,
            FalsePositivePairs = falsePositives,
            FalseNegativePairs = (variantPairs - variantTogether) + (crossPairs - crossTogether),
            FormatVariantPairs = variantPairs,
            CrossPairs = crossPairs,
            UnlinkablePairs = unlinkablePairs,
            UnlinkablePairsTogether = unlinkableTogether,
            Customers = peopleOf.Count,
            CollapsedProfiles = collapsed.Count,
            PeopleInCollapsedProfiles = collapsedPeople.Count,
            SplitPeople = splitPeople,
            SplitPeopleLinkable = splitLinkable,
            VariantSplits = variantSplits,
            NotFound = items.Count(i => i.Read && i.Customer is null && i.Error is null),
            ReadErrors = items.Count(i => i.Error is not null),
            ConflictsReported = conflictsReported,
            ConflictsOnJunk = onJunk,
            ConflictsSamePerson = samePerson,
            ConflictsOtherPerson = otherPerson,
            ConflictsOverLimit = overLimit,
            ConflictsUnknownOwner = unknownOwner,
            MultiSpellingValues = multiSpellingValues,
            MultiSpellingProfiles = multiSpellingProfiles,
            MultiSpellingByType = multiSpellingByType.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>Each unsent spelling must lead to the customer all the sent spellings of its value lead to.</summary>
    private static LookupFigures Lookups(List<Item> items, List<Item> probes)
    {
        var expected = items.GroupBy(i => (i.Person, i.Id.Truth))
            .ToDictionary(g => g.Key, g => g.Select(i => i.Customer).Distinct(StringComparer.Ordinal).ToList());
        long same = 0, notFound = 0, other = 0, undetermined = 0;
        var byType = new SortedDictionary<string, PairCount>(StringComparer.Ordinal);
        var missSamples = new List<string>();
        foreach (var probe in probes.Where(p => p.Read))
        {
            var customers = expected.GetValueOrDefault((probe.Person, probe.Id.Truth));
            if (customers is not [{ } want])
            {
                undetermined++; // the sent spellings themselves were split or not found: counted in the pairs already
                continue;
            }

            var ok = probe.Customer == want;
            same += ok ? 1 : 0;
            notFound += probe.Customer is null ? 1 : 0;
            other += !ok && probe.Customer is not null ? 1 : 0;
            Count(byType, TypeName(probe.Id.Type), ok);
            if (!ok && missSamples.Count < 10)
            {
                missSamples.Add($"person #{probe.Person} {probe.Id.Truth}: '{probe.Id.Wire}' → {(probe.Customer is null ? "(not found" + (probe.Error is { } e ? ": " + e : string.Empty) + ")" : Short(probe.Customer))}, sent spellings → {Short(want)}");
            }
        }

        var checkedCount = same + notFound + other;
        return new LookupFigures
        {
            Probes = probes.Count,
            Checked = checkedCount,
            SameCustomer = same,
            NotFound = notFound,
            OtherCustomer = other,
            Undetermined = undetermined,
            Rate = Ratio(same, checkedCount),
            ByType = byType.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            Misses = missSamples,
        };
    }

    private static void Count(SortedDictionary<string, PairCount> counts, string key, bool together)
    {
        var c = counts.GetValueOrDefault(key) ?? new PairCount();
        counts[key] = c with { Pairs = c.Pairs + 1, Together = c.Together + (together ? 1 : 0) };
    }

    private static double Ratio(long part, long whole) => whole == 0 ? 1.0 : (double)part / whole;

    private static string Pct(double v) => (v * 100).ToString(v >= 0.99 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + " %";

    private static string Short(string customerId) => customerId.Length > 12 && !customerId.StartsWith('(') ? customerId[..12] + "…" : customerId;

    public static string TypeName(IdentifierType type) => type switch
    {
        IdentifierType.Email => "email",
        IdentifierType.Phone => "phone",
        IdentifierType.LoyaltyId => "loyalty",
        IdentifierType.AnonymousId => "device",
        IdentifierType.CrmId => "crm",
        _ => "unknown",
    };

    public static string ChannelName(SeenThrough channel) => channel switch
    {
        SeenThrough.WebSignIn => "web sign-in",
        SeenThrough.StorePurchase => "store purchase",
        SeenThrough.App => "app",
        SeenThrough.CallCentre => "call centre",
        SeenThrough.AnonymousBrowse => "anonymous browsing",
        _ => "newsletter",
    };

    private static long Ticks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    /// <summary>At most <paramref name="concurrency"/> bodies at a time over [0, count), none started after the deadline.</summary>
    private static async Task<int> Bounded(int count, int concurrency, long deadline, Func<int, Task> body, CancellationToken ct)
    {
        long next = -1;
        var started = 0;

        async Task Worker()
        {
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                Interlocked.Increment(ref started);
                await body((int)i);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Clamp(count, 1, Math.Max(1, concurrency))).Select(_ => Task.Run(Worker, CancellationToken.None)));
        return started;
    }

    private sealed class UnionFind
    {
        private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);

        public string Find(string x)
        {
            if (!_parent.TryGetValue(x, out var p))
            {
                _parent[x] = x;
                return x;
            }

            if (p == x)
            {
                return x;
            }

            var root = Find(p);
            _parent[x] = root;
            return root;
        }

        public void Union(string a, string b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb)
            {
                _parent[ra] = rb;
            }
        }
    }
}

public sealed record PairCount
{
    public long Pairs { get; init; }
    public long Together { get; init; }
    public double Recall => Pairs == 0 ? 1.0 : (double)Together / Pairs;
}

public sealed record LookupFigures
{
    public int Probes { get; init; }
    public long Checked { get; init; }
    public long SameCustomer { get; init; }
    public long NotFound { get; init; }
    public long OtherCustomer { get; init; }
    public long Undetermined { get; init; }
    public double Rate { get; init; } = 1.0;
    public Dictionary<string, PairCount> ByType { get; init; } = [];
    public List<string> Misses { get; init; } = [];
}

public sealed record QualityCheck(string Measure, double Value, string Display, string Target, bool Met, bool Enforced, string? Note);

public sealed record CollapsedProfile
{
    public required string CustomerId { get; init; }
    public required List<int> People { get; init; }
    public int Identifiers { get; init; }
    public List<string> JunkIdentifiers { get; init; } = [];
}

public sealed record QualityWorld
{
    public int People { get; init; }
    public int Observations { get; init; }
    public int JunkObservations { get; init; }
    public Dictionary<string, int> ByChannel { get; init; } = [];
    public List<string> JunkValues { get; init; } = [];
    public int RealIdentifiers { get; init; }
    public int Spellings { get; init; }
    public int Sent { get; init; }
    public int Acknowledged { get; init; }
    public int Refused { get; init; }
    public int Uncertain { get; init; }
    public int PreexistingIdentifiers { get; init; }
    public int PreexistingProbes { get; init; }
}

public sealed record QualityFigures
{
    /// <summary>Same-person pairs in one customer / all pairs in one customer.</summary>
    public double Precision { get; init; }

    /// <summary>Over format-variant and linkable cross-identifier pairs.</summary>
    public double Recall { get; init; }

    public double FormatVariantRecall { get; init; }
    public Dictionary<string, PairCount> FormatVariantRecallByType { get; init; } = [];
    public double CrossRecall { get; init; }
    public Dictionary<string, PairCount> CrossRecallByKind { get; init; } = [];
    public long TruePositivePairs { get; init; }
    public long FalsePositivePairs { get; init; }
    public long FalseNegativePairs { get; init; }
    public long FormatVariantPairs { get; init; }
    public long CrossPairs { get; init; }
    public long UnlinkablePairs { get; init; }
    public long UnlinkablePairsTogether { get; init; }
    public int Customers { get; init; }
    public int CollapsedProfiles { get; init; }
    public int PeopleInCollapsedProfiles { get; init; }
    public int SplitPeople { get; init; }
    public int SplitPeopleLinkable { get; init; }
    public int VariantSplits { get; init; }
    public int NotFound { get; init; }
    public int ReadErrors { get; init; }
    public long ConflictsReported { get; init; }
    public long ConflictsOnJunk { get; init; }
    public long ConflictsSamePerson { get; init; }
    public long ConflictsOtherPerson { get; init; }
    public long ConflictsOverLimit { get; init; }
    public long ConflictsUnknownOwner { get; init; }

    /// <summary>GetProfile by usual spellings of each value that were never sent.</summary>
    public LookupFigures UnsentSpellings { get; init; } = new();

    /// <summary>Customers Identify said it merged into the one it answered with (merged_customer_ids).</summary>
    public long MergesReported { get; init; }

    /// <summary>Of those, merges answered to observations that carried a shared junk identifier.</summary>
    public long MergesOnJunkObservations { get; init; }
    public int MultiSpellingValues { get; init; }

    /// <summary>Identifiers of the largest profile read back (collapsed profiles grow past the per-customer limit through merges).</summary>
    public int LargestProfileIdentifiers { get; init; }

    /// <summary>Identifiers (engine form) that GetProfile resolves to a customer whose profile does not list them.</summary>
    public int ResolvedButNotListed { get; init; }
    public int MultiSpellingProfiles { get; init; }
    public Dictionary<string, int> MultiSpellingByType { get; init; } = [];
}

public sealed record QualityReport
{
    public string Tool { get; init; } = "ProfileGrains.LoadTests";
    public string Command { get; init; } = "quality";
    public required DateTimeOffset StartedAt { get; init; }
    public required string RunTag { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    public required Dictionary<string, string> Settings { get; init; }
    public required QualityWorld World { get; init; }
    public List<PhaseReport> Phases { get; init; } = [];
    public required QualityFigures Figures { get; init; }
    public List<QualityCheck> Checks { get; init; } = [];
    public List<CollapsedProfile> Collapsed { get; init; } = [];
    public List<string> SplitSamples { get; init; } = [];
    public List<string> VariantSplitSamples { get; init; } = [];
    public Dictionary<string, string> JunkOwners { get; init; } = [];
    public double ErrorRate { get; init; }
    public double MaxErrorRate { get; init; }
    public List<string> Notes { get; init; } = [];
    public List<string> Failures { get; init; } = [];
    public int ExitCode { get; init; }
}
