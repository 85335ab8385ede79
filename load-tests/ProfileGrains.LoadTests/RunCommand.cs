using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

public sealed record RunSettings
{
    private static readonly string[] KnownScenarios = ["echo", "web", "pos", "lookup", "consent", "identify", "ingest", "track", "batch", "mixed"];

    /// <summary>As given: one scenario, or several separated by commas.</summary>
    public required string Scenario { get; init; }

    /// <summary>The scenarios of the run, each measured after its own echo phase.</summary>
    public required IReadOnlyList<string> Scenarios { get; init; }

    public int Segments { get; init; }
    public required IReadOnlyList<Uri> Targets { get; init; }
    public int Customers { get; init; }
    public TimeSpan Duration { get; init; }
    public TimeSpan Warmup { get; init; }
    public int Concurrency { get; init; }
    public double Rate { get; init; }
    public int MaxInFlight { get; init; }
    public int Seed { get; init; }
    public required string Out { get; init; }
    public long MaxRequests { get; init; }
    public TimeSpan Timeout { get; init; }
    public int BatchSize { get; init; }
    public bool IngestBatch { get; init; }
    public required IReadOnlyDictionary<string, int> Mix { get; init; }
    public int VerifySample { get; init; }
    public bool SkipVerify { get; init; }

    /// <summary>Members already loaded by an earlier run (lookup alone): customers that left memory stay out until looked up.</summary>
    public bool MembersLoaded { get; init; }
    public double MaxErrorRate { get; init; }
    public int EchoBytes { get; init; }
    public int ChannelsPerTarget { get; init; }
    /// <summary>The engines' processes, when they run on this machine: their CPU is added up per phase.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    public LoadModel Model => new(Concurrency, Rate, MaxInFlight, MaxRequests);

    public static IReadOnlyList<string> ParseScenarios(string spec)
    {
        var names = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (Array.IndexOf(KnownScenarios, name) < 0)
            {
                throw new ArgumentException($"unknown scenario '{name}': expected {string.Join(", ", KnownScenarios)}");
            }
        }

        return names.Length == 0 ? throw new ArgumentException("--scenario names at least one scenario")
            : names.Length > 1 && names.Contains("echo") ? throw new ArgumentException("echo runs before every scenario already; list it alone or not at all")
            : names.Distinct(StringComparer.Ordinal).Count() != names.Length ? throw new ArgumentException("--scenario lists a scenario twice")
            : names;
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int CorrectnessFailed = 1;
    public const int TooManyErrors = 2;
    public const int EngineUnreachable = 3;
    public const int InternalError = 70;
    public const int BadArguments = 64;
}

/// <summary>`run`: prepare, echo baseline, scenario, correctness check, report.</summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(RunSettings s, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var runTag = $"{s.Seed}-{startedAt.ToUnixTimeMilliseconds():x}";
        using var clients = new Clients(s.Targets, s.ChannelsPerTarget);
        if (!await Preflight.EchoAsync(clients, s.Targets, ct))
        {
            return ExitCodes.EngineUnreachable;
        }

        var run = new RunContext
        {
            Clients = clients,
            Population = new Population(s.Seed),
            Ledger = new Ledger(),
            Stitches = new StitchBook(),
            CallTimeout = s.Timeout,
            Seed = s.Seed,
            RunTag = runTag,
        };
        var populations = new Populations(s.Customers);
        var catalogue = new Catalogue(s.Seed);
        var model = s.Model;
        var uses = s.Scenarios.Select(name => ScenarioParts(name, s.Mix)).Aggregate((a, b) => new Uses(a.Members || b.Members, a.Web || b.Web, a.Stitch || b.Stitch));
        Progress.Line($"scenario {s.Scenario}: {model.Describe()}, {s.Customers} customers, warm-up {s.Warmup.TotalSeconds:0.#} s, duration {s.Duration.TotalSeconds:0.#} s, seed {s.Seed}, run {runTag}");

        // 0. Segments first, so that loading and every change are evaluated against them and nothing needs a back-fill.
        if (s.Segments > 0)
        {
            await LoadSegments.PutAsync(clients, s.Segments, s.Timeout, ct);
        }

        // 1. Prepare: load the members a till or an ingest pipeline expects to find; take baselines if the engine is not fresh.
        var baselines = new ConcurrentDictionary<string, Baseline>(StringComparer.Ordinal);
        var prepare = await PrepareAsync(s, run, populations, uses, baselines, ct);

        // 2. The echo floor, then 3. the scenario: same client, same concurrency (or rate), same duration; once per scenario.
        var phases = new List<PhaseReport>();
        var comparisons = new List<EchoComparison>();
        var echo = new EchoScenario(s.EchoBytes, s.Seed);
        foreach (var name in s.Scenarios)
        {
            var floor = await MeasureAsync(echo, s.Scenarios.Count > 1 ? $"echo (before {name})" : echo.Name, run, s, ct);
            phases.Add(floor);
            if (name != "echo")
            {
                var scenario = Build(name, s, run, populations, catalogue);
                var measured = await MeasureAsync(scenario, scenario.Name, run, s, ct);
                phases.Add(measured);
                comparisons.Add(EchoComparison.Of(measured, floor));
            }
        }

        // 4. Nothing lost: read the profiles back.
        VerificationResult? verification = null;
        if (comparisons.Count > 0)
        {
            if (s.SkipVerify)
            {
                verification = new VerificationResult { Skipped = true };
            }
            else
            {
                Progress.Line($"correctness check: reading back {(s.VerifySample > 0 ? $"a sample (>= {Math.Max(1000, s.VerifySample)})" : "every")} touched customer ({run.Ledger.Customers.Count} touched, {run.Stitches.Count} stitched people) ...");
                var verifier = new Verifier(clients, s.Timeout, s.Concurrency);
                verification = await verifier.VerifyAsync(run.Ledger, baselines, run.Stitches, run.Population, s.VerifySample, s.Seed, ct);
            }
        }

        // 5. Verdict and report.
        var failures = new List<string>();
        var calls = phases.Sum(p => p.Calls) + (prepare.Identify?.Calls ?? 0);
        var failed = phases.Sum(p => p.Failed) + prepare.LoadFailures;
        var errorRate = calls > 0 ? (double)failed / calls : 0;
        var exit = ExitCodes.Ok;
        if (verification is { Passed: false })
        {
            failures.Add($"correctness check failed: {verification.Mismatches.Count} mismatches, {verification.UnexpectedDuplicates} unexpected duplicates, {verification.StitchSplits} stitching splits");
            exit = ExitCodes.CorrectnessFailed;
        }

        if (errorRate > s.MaxErrorRate)
        {
            failures.Add($"{failed} of {calls} calls failed ({errorRate:P3} > {s.MaxErrorRate:P2})");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        var stepFailures = phases.Sum(p => p.StepFailures);
        if (stepFailures > 0)
        {
            failures.Add($"{stepFailures} scenario steps failed inside the harness (see stderr)");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        if (phases.All(p => p.Calls == 0))
        {
            failures.Add("no call was made");
            exit = exit == ExitCodes.Ok ? ExitCodes.TooManyErrors : exit;
        }

        var first = comparisons.Count > 0 ? comparisons[0] : null;
        var report = new RunReport
        {
            Command = "run",
            Scenario = s.Scenario,
            StartedAt = startedAt,
            RunTag = runTag,
            Targets = [.. s.Targets.Select(t => t.ToString())],
            Settings = Describe(s),
            Prepare = prepare,
            Phases = phases,
            ThroughputRatioToEcho = first?.ThroughputRatio,
            P50RatioToEcho = first?.P50Ratio,
            P99RatioToEcho = first?.P99Ratio,
            Comparisons = comparisons,
            ErrorRate = errorRate,
            MaxErrorRate = s.MaxErrorRate,
            Verification = verification,
            Failures = failures,
            ExitCode = exit,
        };

        return ReportFiles.Print(ReportWriter.Markdown(report), ReportWriter.Write(report, s.Out), exit);
    }

    private static async Task<PhaseReport> MeasureAsync(Scenario scenario, string label, RunContext run, RunSettings s, CancellationToken ct)
    {
        if (s.Warmup > TimeSpan.Zero)
        {
            var warm = new Metrics();
            await Progress.ShowAsync($"{label} warm-up", warm, s.Warmup, Driver.RunAsync(scenario, run, s.Model, s.Warmup, warm, ct));
        }

        var metrics = new Metrics();
        var engineBefore = await run.Clients.EngineTotalsAsync(ct);
        var before = CpuSample.Take(s.ServerPids);
        var result = await Progress.ShowAsync(label, metrics, s.Duration, Driver.RunAsync(scenario, run, s.Model, s.Duration, metrics, ct));
        var cpuAfter = CpuSample.Take(s.ServerPids);
        var engineAfter = await run.Clients.EngineTotalsAsync(ct);
        return PhaseReport.From(label, s.Model, result).WithCpu(before, cpuAfter).WithEngineTotals(engineBefore, engineAfter);
    }

    private sealed record Uses(bool Members, bool Web, bool Stitch);

    private static Uses ScenarioParts(string scenario, IReadOnlyDictionary<string, int> mix) => scenario switch
    {
        "web" => new Uses(false, true, false),
        "pos" or "lookup" or "consent" or "ingest" or "track" or "batch" => new Uses(true, false, false),
        "identify" => new Uses(false, false, true),
        "mixed" => new Uses(
            mix.GetValueOrDefault("pos") > 0 || mix.GetValueOrDefault("ingest") > 0,
            mix.GetValueOrDefault("web") > 0,
            mix.GetValueOrDefault("identify") > 0),
        _ => new Uses(false, false, false),
    };

    private static Scenario Build(string name, RunSettings s, RunContext run, Populations pops, Catalogue catalogue)
    {
        var model = s.Model;
        var members = new PersonLocks(pops.MembersFirst, s.Customers);
        var visitors = new PersonLocks(pops.WebFirst, s.Customers);
        var stitchers = new PersonLocks(pops.StitchFirst, s.Customers);
        var slots = SessionPools.SlotsFor(model, s.Customers);
        Scenario Web() => new WebScenario(run, catalogue, visitors, slots);
        Scenario Pos() => new PosScenario(run, catalogue, members, slots);
        Scenario Lookup() => new LookupScenario(run, members, slots);
        Scenario Identify() => new IdentifyScenario(run, stitchers, slots);
        Scenario Ingest(bool batch) => new IngestScenario(run, catalogue, pops, s.BatchSize, batch);
        return name switch
        {
            "web" => Web(),
            "pos" => Pos(),
            "lookup" => Lookup(),
            "consent" => new ConsentScenario(run, members, slots),
            "identify" => Identify(),
            "ingest" => Ingest(s.IngestBatch),
            "track" => Ingest(batch: false),
            "batch" => Ingest(batch: true),
            "mixed" => new MixedScenario([.. new (string Name, Func<Scenario> Make)[] { ("web", Web), ("pos", Pos), ("identify", Identify), ("ingest", () => Ingest(s.IngestBatch)) }
                .Where(p => s.Mix.GetValueOrDefault(p.Name) > 0)
                .Select(p => (p.Make(), s.Mix[p.Name]))]),
            _ => throw new ArgumentException($"unknown scenario '{name}'"),
        };
    }

    private static async Task<PrepareReport> PrepareAsync(RunSettings s, RunContext run, Populations pops, Uses uses, ConcurrentDictionary<string, Baseline> baselines, CancellationToken ct)
    {
        var verifier = new Verifier(run.Clients, s.Timeout, s.Concurrency);
        var needBaseline = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var failedMembers = new ConcurrentQueue<SyntheticCustomer>();
        int created = 0, existing = 0;
        double loadSeconds = 0;
        OpResult? identify = null;
        long loadFailures = 0;

        if (uses.Members && !s.MembersLoaded)
        {
            var metrics = new Metrics();
            var started = Stopwatch.GetTimestamp();
            var load = verifier.ForEach(Enumerable.Range(pops.MembersFirst, s.Customers).ToList(), async index =>
            {
                var person = run.Population.Get(index);
                var r = new Random(Seeds.Mix(s.Seed, index, 1));
                var request = new IdentifyRequest { Identifiers = { person.Loyalty(), person.Email(r), person.Phone(r) }, Traits = person.Traits() };
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    var response = await run.Clients.Profile.IdentifyAsync(request, deadline: DateTime.UtcNow + s.Timeout, cancellationToken: ct);
                    metrics.Record("Identify", t0, Stopwatch.GetTimestamp(), null);
                    run.Ledger.Merged(response.CustomerId, response.MergedCustomerIds);
                    if (response.Created)
                    {
                        Interlocked.Increment(ref created);
                    }
                    else
                    {
                        Interlocked.Increment(ref existing);
                        needBaseline.TryAdd(response.CustomerId, 0);
                    }

                    foreach (var c in response.Conflicts)
                    {
                        needBaseline.TryAdd(c.OwnerCustomerId, 0);
                    }
                }
                catch (RpcException e)
                {
                    metrics.Record("Identify", t0, Stopwatch.GetTimestamp(), e.StatusCode.ToString());

                    // Unknown whether it existed before (or whether this call created it): baseline it by its identifiers.
                    failedMembers.Enqueue(person);
                }
            }, ct);
            await Progress.ShowAsync("load members", metrics, TimeSpan.Zero, load.ContinueWith(_ => 0, TaskScheduler.Default));
            await load;
            loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            identify = metrics.Overall(loadSeconds) with { Op = "Identify (load)" };
            loadFailures = metrics.Failed;
        }

        // Engines are not always fresh: counts that were there before the run must not look like our own.
        var probes = 0;
        var baselineStarted = Stopwatch.GetTimestamp();
        var references = needBaseline.Keys.Select(id => new CustomerRef { CustomerId = id }).ToList();
        references.AddRange(failedMembers.SelectMany(p => p.CanonicalIdentifiers()).Select(id => new CustomerRef { Identifier = id }));
        if (uses.Web)
        {
            for (var i = 0; i < s.Customers; i++)
            {
                var p = run.Population.Get(pops.WebFirst + i);
                references.Add(new CustomerRef { Identifier = p.Anonymous() });
                references.Add(new CustomerRef { Identifier = new Identifier { Type = IdentifierType.Email, Value = p.EmailCanonical } });
            }
        }

        if (references.Count > 0)
        {
            probes = references.Count;
            var metrics = new Metrics();
            var work = verifier.ForEach(references, async reference =>
            {
                var t0 = Stopwatch.GetTimestamp();
                var profile = await verifier.TryGetProfile(reference, ct);
                metrics.Record("GetProfile", t0, Stopwatch.GetTimestamp(), null);
                if (profile is not null)
                {
                    baselines.TryAdd(profile.CustomerId, Baseline.From(profile));
                }
            }, ct);
            await Progress.ShowAsync("baseline probes", metrics, TimeSpan.Zero, work.ContinueWith(_ => 0, TaskScheduler.Default));
            await work;
        }

        if (!baselines.IsEmpty)
        {
            Progress.Line($"the engine already knew {baselines.Count} of these customers: their earlier counts are subtracted in the correctness check");
        }

        return new PrepareReport
        {
            MembersLoaded = uses.Members ? s.Customers : 0,
            MembersCreated = created,
            MembersExisting = existing,
            LoadFailures = loadFailures,
            LoadSeconds = Math.Round(loadSeconds, 3),
            LoadPerSecond = loadSeconds > 0 ? s.Customers / loadSeconds : 0,
            BaselineProbes = probes,
            Baselines = baselines.Count,
            BaselineSeconds = Math.Round(Stopwatch.GetElapsedTime(baselineStarted).TotalSeconds, 3),
            Identify = identify,
        };
    }

    private static Dictionary<string, string> Describe(RunSettings s)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = s.Model.Describe(),
            ["customers"] = s.Customers.ToString(CultureInfo.InvariantCulture),
            ["warmup"] = $"{s.Warmup.TotalSeconds:0.###}s",
            ["duration"] = $"{s.Duration.TotalSeconds:0.###}s",
            ["seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
            ["max-requests"] = s.MaxRequests.ToString(CultureInfo.InvariantCulture),
            ["timeout"] = $"{s.Timeout.TotalSeconds:0.###}s",
            ["channels"] = (s.Targets.Count * s.ChannelsPerTarget).ToString(CultureInfo.InvariantCulture),
            ["echo-bytes"] = s.EchoBytes.ToString(CultureInfo.InvariantCulture),
            ["client cpus"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["server-pid"] = s.ServerPids.Count > 0 ? string.Join(",", s.ServerPids) : "none",
        };
        if (s.Segments > 0)
        {
            d["segments"] = s.Segments.ToString(CultureInfo.InvariantCulture);
        }

        if (s.Scenarios.Any(n => n is "ingest" or "mixed"))
        {
            d["ingest"] = s.IngestBatch ? $"TrackBatch x{s.BatchSize}" : "Track";
        }

        if (s.Scenarios.Contains("batch"))
        {
            d["batch"] = $"TrackBatch x{s.BatchSize}";
        }

        if (s.Scenarios.Contains("mixed"))
        {
            d["mix"] = string.Join(",", s.Mix.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        return d;
    }
}

public static class Preflight
{
    /// <summary>One echo per target before anything else, with a clear message when the engine is not there.</summary>
    public static async Task<bool> EchoAsync(Clients clients, IReadOnlyList<Uri> targets, CancellationToken ct)
    {
        for (var i = 0; i < clients.ChannelCount; i++)
        {
            try
            {
                await clients.Diagnostics.EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
            }
            catch (RpcException e)
            {
                await Console.Error.WriteLineAsync($"the engine does not answer at {string.Join(", ", targets)}: {e.StatusCode} {e.Status.Detail}");
                await Console.Error.WriteLineAsync("start it first: dotnet run -c Release --project src/ProfileGrains.Host");
                return false;
            }
        }

        return true;
    }
}
