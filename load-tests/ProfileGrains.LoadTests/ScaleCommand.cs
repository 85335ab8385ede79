using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

public sealed record ScaleSettings
{
    public required IReadOnlyList<Uri> Targets { get; init; }
    public int Customers { get; init; }
    public int StartIndex { get; init; }
    public int Concurrency { get; init; }
    public int BatchSize { get; init; }
    public int Seed { get; init; }
    public int? ServerPid { get; init; }
    public TimeSpan Settle { get; init; }
    public required string Out { get; init; }
    public TimeSpan Timeout { get; init; }
    public int VerifySample { get; init; }
    public double MaxErrorRate { get; init; }
    public int ChannelsPerTarget { get; init; }
    public TimeSpan MaxTime { get; init; }

    /// <summary>
    /// Customers are created by their purchase event alone (loyalty id, email and phone on the event, no Identify, no
    /// traits): one TrackBatch call creates a whole batch. Expects customers new to the engine (a fresh engine or
    /// --start-index), since a purchase result does not say whether it created its customer.
    /// </summary>
    public bool BatchedCreation { get; init; }
}

/// <summary>
/// `scale`: loads N customers (Identify with email, phone and loyalty id, then one purchase each, sent by TrackBatch)
/// and reports the load time and, from the server's /proc, the resident memory each customer costs.
/// </summary>
public static class ScaleCommand
{
    public static async Task<int> ExecuteAsync(ScaleSettings s, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var runTag = $"{s.Seed}-{startedAt.ToUnixTimeMilliseconds():x}";
        using var clients = new Clients(s.Targets, s.ChannelsPerTarget);
        if (!await Preflight.EchoAsync(clients, s.Targets, ct))
        {
            return ExitCodes.EngineUnreachable;
        }

        var population = new Population(s.Seed);
        var catalogue = new Catalogue(s.Seed);
        var rssBefore = ServerMemory.Read(s.ServerPid);
        var statsBefore = await ServerStatsReader.ReadAsync(clients, ct);
        Progress.Line($"scale: loading {s.Customers:N0} customers from #{s.StartIndex} with {s.Concurrency} workers, purchases by TrackBatch of {s.BatchSize}" +
            (rssBefore is { } m0 ? $"; server pid {s.ServerPid} VmRSS {m0.RssBytes / 1048576.0:0.0} MiB before" : "; no --server-pid: memory is not measured"));

        var metrics = new Metrics();
        var created = new bool[s.Customers];
        var acceptedPurchases = new byte[s.Customers];
        long next = 0;
        long sequence = 0;
        var cpuBefore = CpuSample.Take(s.ServerPid);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(s.MaxTime.TotalSeconds * Stopwatch.Frequency);

        async Task Worker(int worker)
        {
            var r = new Random(Seeds.Mix(s.Seed, worker, 2));
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                var first = Interlocked.Add(ref next, s.BatchSize) - s.BatchSize;
                if (first >= s.Customers)
                {
                    return;
                }

                var count = (int)Math.Min(s.BatchSize, s.Customers - first);
                var batch = new TrackBatchRequest();
                for (var i = 0; i < count; i++)
                {
                    var slot = (int)first + i;
                    var person = population.Get(s.StartIndex + slot);
                    if (s.BatchedCreation)
                    {
                        created[slot] = true;
                    }
                    else
                    {
                        await Identify(person, slot, r);
                    }

                    var purchase = new Event
                    {
                        EventId = $"evt-{runTag}-{Interlocked.Increment(ref sequence)}",
                        Type = EventType.Purchase,
                        OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow),
                        Channel = Channel.Store,
                        Identifiers = { person.Loyalty() },
                    };
                    if (s.BatchedCreation)
                    {
                        purchase.Identifiers.Add(person.Email(r));
                        purchase.Identifiers.Add(person.Phone(r));
                    }

                    var (sku, category, cents) = catalogue.Pick(r);
                    purchase.Purchase = new Purchase
                    {
                        OrderId = $"ord-{runTag}-{slot}",
                        StoreId = Events.Store(r),
                        Total = Catalogue.Euros(cents),
                        Items = { new LineItem { Sku = sku, Category = category, Quantity = 1, UnitPrice = Catalogue.Euros(cents) } },
                    };
                    batch.Events.Add(purchase);
                }

                var tb = Stopwatch.GetTimestamp();
                try
                {
                    var results = await clients.Profile.TrackBatchAsync(batch, deadline: DateTime.UtcNow + s.Timeout, cancellationToken: ct);
                    metrics.Record("TrackBatch", tb, Stopwatch.GetTimestamp(), null);
                    metrics.AddEvents(count);
                    for (var i = 0; i < results.Results.Count && i < count; i++)
                    {
                        if (results.Results[i].Outcome == TrackOutcome.Accepted)
                        {
                            acceptedPurchases[first + i]++;
                        }
                    }
                }
                catch (RpcException e)
                {
                    metrics.Record("TrackBatch", tb, Stopwatch.GetTimestamp(), e.StatusCode.ToString());
                }
            }
        }

        async Task Identify(SyntheticCustomer person, int slot, Random r)
        {
            var identify = new IdentifyRequest { Identifiers = { person.Loyalty(), person.Email(r), person.Phone(r) }, Traits = person.Traits() };
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                var response = await clients.Profile.IdentifyAsync(identify, deadline: DateTime.UtcNow + s.Timeout, cancellationToken: ct);
                metrics.Record("Identify", t0, Stopwatch.GetTimestamp(), null);
                created[slot] = response.Created;
            }
            catch (RpcException e)
            {
                metrics.Record("Identify", t0, Stopwatch.GetTimestamp(), e.StatusCode.ToString());
            }
        }

        var work = Task.WhenAll(Enumerable.Range(0, Math.Max(1, s.Concurrency)).Select(w => Task.Run(() => Worker(w), CancellationToken.None)));
        await Progress.ShowAsync("scale load", metrics, s.MaxTime, work.ContinueWith(_ => 0, TaskScheduler.Default));
        await work;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAfter = CpuSample.Take(s.ServerPid);
        var loaded = (int)Math.Min(Interlocked.Read(ref next), s.Customers);
        var rssLoaded = ServerMemory.Read(s.ServerPid);

        // Grain state is written to storage on a timer (StateFlushInterval, 5 s by default): wait for it before the final reading.
        ServerMemory? rssSettled = null;
        if (s.ServerPid is not null && s.Settle > TimeSpan.Zero)
        {
            Progress.Line($"waiting {s.Settle.TotalSeconds:0} s for the engine to flush grain state before reading its memory again ...");
            await Task.Delay(s.Settle, ct);
            rssSettled = ServerMemory.Read(s.ServerPid);
        }

        var statsAfter = await ServerStatsReader.ReadAsync(clients, ct);

        // A sample read back: three identifiers, one purchase.
        var verifyStarted = Stopwatch.GetTimestamp();
        var verifier = new Verifier(clients, s.Timeout, Math.Min(s.Concurrency, 32));
        var sample = Enumerable.Range(0, loaded).ToList().Shuffle(new Random(s.Seed)).Take(Math.Min(loaded, Math.Max(1, s.VerifySample))).ToList();
        var mismatches = new System.Collections.Concurrent.ConcurrentQueue<Mismatch>();
        await verifier.ForEach(sample, async slot =>
        {
            var person = population.Get(s.StartIndex + slot);
            var profile = await verifier.TryGetProfile(new CustomerRef { Identifier = person.Loyalty() }, ct);
            if (profile is null)
            {
                mismatches.Enqueue(new Mismatch("?", person.LoyaltyId, "GetProfile", 1, 0, "loaded customer not found"));
                return;
            }

            if (!created[slot])
            {
                return; // known before this run: its counts are not ours alone
            }

            var b = Baseline.From(profile);
            if (b.Orders != acceptedPurchases[slot] || b.Lifetime[(int)EventType.Purchase] != acceptedPurchases[slot])
            {
                mismatches.Enqueue(new Mismatch(profile.CustomerId, person.LoyaltyId, "purchases", acceptedPurchases[slot], b.Orders, $"lifetime purchase counter {b.Lifetime[(int)EventType.Purchase]}"));
            }

            if (profile.Identifiers.Count != 3)
            {
                mismatches.Enqueue(new Mismatch(profile.CustomerId, person.LoyaltyId, "identifiers", 3, profile.Identifiers.Count, string.Join(", ", profile.Identifiers.Select(i => $"{i.Type}:{i.Value}"))));
            }
        }, ct);

        var scale = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["customers loaded"] = loaded,
            ["load seconds"] = Math.Round(seconds, 2),
            ["customers/s"] = Math.Round(loaded / seconds, 1),
            ["calls/s"] = Math.Round(metrics.Calls / seconds, 1),
            ["failed calls"] = metrics.Failed,
        };
        if (rssBefore is { } before && rssLoaded is { } after)
        {
            scale["server VmRSS before (MiB)"] = Math.Round(before.RssBytes / 1048576.0, 1);
            scale["server VmRSS after load (MiB)"] = Math.Round(after.RssBytes / 1048576.0, 1);
            scale["RSS bytes/customer after load"] = loaded > 0 ? Math.Round((after.RssBytes - before.RssBytes) / (double)loaded, 0) : 0;
            if (rssSettled is { } settled)
            {
                scale[$"server VmRSS after {s.Settle.TotalSeconds:0}s settle (MiB)"] = Math.Round(settled.RssBytes / 1048576.0, 1);
                scale["RSS bytes/customer after settle"] = loaded > 0 ? Math.Round((settled.RssBytes - before.RssBytes) / (double)loaded, 0) : 0;
                scale["server VmHWM (MiB)"] = Math.Round(settled.HwmBytes / 1048576.0, 1);
            }
        }

        if (statsBefore is not null && statsAfter is not null)
        {
            // A full collection on the engine first, so only live objects are counted (one engine: the first target).
            scale["server GC heap before (MiB)"] = Math.Round(statsBefore.GcHeapBytes / 1048576.0, 1);
            scale["server GC heap after (MiB)"] = Math.Round(statsAfter.GcHeapBytes / 1048576.0, 1);
            scale["GC heap bytes/customer"] = loaded > 0 ? Math.Round((statsAfter.GcHeapBytes - statsBefore.GcHeapBytes) / (double)loaded, 0) : 0;
            foreach (var activation in statsAfter.Activations.Where(a => a.Key is "customer" or "identity-shard"))
            {
                scale[$"resident {activation.Key} grains"] = activation.Value;
            }
        }

        var failures = new List<string>();
        var exit = ExitCodes.Ok;
        if (!mismatches.IsEmpty)
        {
            failures.Add($"{mismatches.Count} of {sample.Count} sampled customers do not match what was acknowledged");
            exit = ExitCodes.CorrectnessFailed;
        }

        var errorRate = metrics.Calls > 0 ? (double)metrics.Failed / metrics.Calls : 0;
        if (errorRate > s.MaxErrorRate)
        {
            failures.Add($"{metrics.Failed} of {metrics.Calls} calls failed");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        if (loaded < s.Customers)
        {
            failures.Add($"only {loaded} of {s.Customers} customers loaded before --max-time");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        var report = new RunReport
        {
            Command = "scale",
            Scenario = $"{s.Customers}",
            StartedAt = startedAt,
            RunTag = runTag,
            Targets = [.. s.Targets.Select(t => t.ToString())],
            Settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["customers"] = s.Customers.ToString(CultureInfo.InvariantCulture),
                ["start-index"] = s.StartIndex.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = s.Concurrency.ToString(CultureInfo.InvariantCulture),
                ["batch-size"] = s.BatchSize.ToString(CultureInfo.InvariantCulture),
                ["seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
                ["server-pid"] = s.ServerPid?.ToString(CultureInfo.InvariantCulture) ?? "none",
            },
            Phases = [PhaseReport.From("load", new LoadModel(s.Concurrency, 0, 0, 0), new PhaseRun(metrics, seconds, 0, 0, 0)).WithCpu(cpuBefore, cpuAfter)],
            Scale = scale,
            ErrorRate = errorRate,
            MaxErrorRate = s.MaxErrorRate,
            Verification = new VerificationResult
            {
                TouchedCustomers = loaded,
                CheckedCustomers = sample.Count,
                AcceptedEvents = acceptedPurchases.Sum(b => (long)b),
                Mismatches = [.. mismatches],
                Seconds = Stopwatch.GetElapsedTime(verifyStarted).TotalSeconds,
            },
            Failures = failures,
            ExitCode = exit,
        };
        return ReportFiles.Print(ReportWriter.Markdown(report), ReportWriter.Write(report, s.Out), exit);
    }
}

/// <summary>The server's resident memory, read from /proc (Linux): the harness cannot see the server's GC heap.</summary>
public sealed record ServerMemory(long RssBytes, long HwmBytes)
{
    public static ServerMemory? Read(int? pid)
    {
        if (pid is not { } p)
        {
            return null;
        }

        var path = $"/proc/{p}/status";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no process {p} on this machine ({path} does not exist)");
        }

        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kb(line);
            }
        }

        return new ServerMemory(rss, hwm);
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

/// <summary>CPU time of the server (from /proc/&lt;pid&gt;/stat), of this process, and of the whole machine (/proc/stat).</summary>
public sealed record CpuSample(double? ServerSeconds, double ClientSeconds, double MachineBusySeconds, double MachineTotalSeconds)
{
    private const double ClockTicks = 100.0; // USER_HZ on Linux

    public static CpuSample Take(int? serverPid) => Take(serverPid is { } pid ? [pid] : []);

    /// <summary>The CPU of every engine process given, added up (null when none is readable).</summary>
    public static CpuSample Take(IReadOnlyList<int> serverPids)
    {
        double? server = null;
        foreach (var pid in serverPids.Where(pid => File.Exists($"/proc/{pid}/stat")))
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            server = (server ?? 0) + ((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicks);
        }

        double busy = 0, total = 0;
        if (File.Exists("/proc/stat"))
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            total = cpu.Take(8).Sum() / ClockTicks;
            busy = total - ((cpu[3] + cpu[4]) / ClockTicks); // all but idle and iowait
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new CpuSample(server, self.TotalProcessorTime.TotalSeconds, busy, total);
    }
}

/// <summary>The engine's own memory figures, through its diagnostics RPC.</summary>
internal static class ServerStatsReader
{
    public static async Task<ServerStats?> ReadAsync(Clients clients, CancellationToken ct)
    {
        try
        {
            return await clients.Diagnostics.GetServerStatsAsync(new ServerStatsRequest { CollectGarbage = true }, cancellationToken: ct);
        }
        catch (Grpc.Core.RpcException e)
        {
            Progress.Line($"server stats unavailable ({e.StatusCode}): GC heap is not measured");
            return null;
        }
    }
}
