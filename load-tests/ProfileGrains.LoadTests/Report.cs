using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProfileGrains.LoadTests;

public sealed record PhaseReport
{
    public required string Name { get; init; }
    public required string Model { get; init; }
    public double Seconds { get; init; }
    public long Calls { get; init; }
    public long Failed { get; init; }
    public double Throughput { get; init; }
    public long Events { get; init; }
    public double EventsPerSecond { get; init; }
    public long Unsent { get; init; }
    public long LateStarts { get; init; }
    public long StepFailures { get; init; }
    public required OpResult Overall { get; init; }
    public required List<OpResult> Ops { get; init; }

    /// <summary>Per second: calls completed and their latency (p50, p99, max).</summary>
    public List<TimelinePoint> Timeline { get; init; } = [];

    /// <summary>Server CPU seconds during the phase (needs --server-pid).</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>Server CPU per call, in microseconds: what one call of this mix costs the engine.</summary>
    public double? ServerCpuMicrosPerCall { get; init; }

    public double ClientCpuSeconds { get; init; }

    public double ClientCpuMicrosPerCall { get; init; }

    /// <summary>CPU used by this harness and the engine, as a fraction of all the machine's cores (they share them).</summary>
    public double MachineBusy { get; init; }

    /// <summary>Busy fraction of the machine from /proc/stat, every process included: well above <see cref="MachineBusy"/> means something else competed for the cores.</summary>
    public double MachineBusyAllProcesses { get; init; }

    /// <summary>Share of the phase during which the engines' threads were paused for garbage collection (summed over engines).</summary>
    public double? ServerGcPauseShare { get; init; }

    /// <summary>Bytes the engines allocated per call during the phase.</summary>
    public double? ServerAllocatedBytesPerCall { get; init; }

    public long? ServerGcCollections { get; init; }

    public long? ServerGen2Collections { get; init; }

    /// <summary>Group commits to PostgreSQL during the phase, per store (durable engines only).</summary>
    public List<CommitPhase> StorageCommits { get; init; } = [];

    public PhaseReport WithEngineTotals(EngineTotals? before, EngineTotals? after) =>
        before is null || after is null || Seconds <= 0
            ? this
            : this with
            {
                ServerGcPauseShare = Math.Round((after.PauseMs - before.PauseMs) / (Seconds * 1000), 4),
                ServerAllocatedBytesPerCall = Calls > 0 ? Math.Round((double)(after.AllocatedBytes - before.AllocatedBytes) / Calls) : null,
                ServerGcCollections = after.Collections - before.Collections,
                ServerGen2Collections = after.Gen2Collections - before.Gen2Collections,
                StorageCommits = CommitPhase.Between(before.Commits, after.Commits),
            };

    public PhaseReport WithCpu(CpuSample before, CpuSample after)
    {
        var server = after.ServerSeconds - before.ServerSeconds;
        var client = after.ClientSeconds - before.ClientSeconds;
        var capacity = Seconds * Environment.ProcessorCount;
        return this with
        {
            ServerCpuSeconds = server is { } sv ? Math.Round(sv, 2) : null,
            ServerCpuMicrosPerCall = server is { } s && Calls > 0 ? Math.Round(s * 1e6 / Calls, 1) : null,
            ClientCpuSeconds = Math.Round(client, 2),
            ClientCpuMicrosPerCall = Calls > 0 ? Math.Round(client * 1e6 / Calls, 1) : 0,
            MachineBusy = capacity > 0 ? Math.Round((client + (server ?? 0)) / capacity, 3) : 0,
            MachineBusyAllProcesses = after.MachineTotalSeconds > before.MachineTotalSeconds
                ? Math.Round((after.MachineBusySeconds - before.MachineBusySeconds) / (after.MachineTotalSeconds - before.MachineTotalSeconds), 3)
                : 0,
        };
    }

    public static PhaseReport From(string name, LoadModel model, PhaseRun run)
    {
        var ops = run.Metrics.Ops.Select(o => o.Snapshot(run.Seconds)).ToList();
        return new PhaseReport
        {
            Name = name,
            Model = model.Describe(),
            Seconds = Math.Round(run.Seconds, 3),
            Calls = run.Metrics.Calls,
            Failed = run.Metrics.Failed,
            Throughput = run.Seconds > 0 ? run.Metrics.Calls / run.Seconds : 0,
            Events = run.Metrics.Events,
            EventsPerSecond = run.Seconds > 0 ? run.Metrics.Events / run.Seconds : 0,
            Unsent = run.Unsent,
            LateStarts = run.LateStarts,
            StepFailures = run.StepFailures,
            Overall = run.Metrics.Overall(run.Seconds),
            Ops = ops,
            Timeline = [.. run.Metrics.Timeline],
        };
    }
}

/// <summary>A scenario against the echo measured just before it: the figures a README row is made of.</summary>
public sealed record EchoComparison
{
    public required string Scenario { get; init; }
    public required string Echo { get; init; }
    public double EchoThroughput { get; init; }
    public double Throughput { get; init; }

    /// <summary>Events per second, for the scenarios that send several per call (TrackBatch).</summary>
    public double EventsPerSecond { get; init; }

    /// <summary>Calls per second (events per second when a call carries several) over the echo's calls per second.</summary>
    public double? ThroughputRatio { get; init; }
    public double? P50Ratio { get; init; }
    public double? P99Ratio { get; init; }
    public double P50Ms { get; init; }
    public double P99Ms { get; init; }
    public double P999Ms { get; init; }
    public double? ServerCpuMicrosPerCall { get; init; }
    public double? ServerGcPauseShare { get; init; }
    public double? ServerAllocatedBytesPerCall { get; init; }

    public static EchoComparison Of(PhaseReport scenario, PhaseReport echo)
    {
        var work = scenario.Events > scenario.Calls ? scenario.EventsPerSecond : scenario.Throughput;
        return new EchoComparison
        {
            Scenario = scenario.Name,
            Echo = echo.Name,
            EchoThroughput = echo.Throughput,
            Throughput = scenario.Throughput,
            EventsPerSecond = scenario.EventsPerSecond,
            ThroughputRatio = echo.Throughput > 0 ? work / echo.Throughput : null,
            P50Ratio = echo.Overall.P50Ms > 0 ? scenario.Overall.P50Ms / echo.Overall.P50Ms : null,
            P99Ratio = echo.Overall.P99Ms > 0 ? scenario.Overall.P99Ms / echo.Overall.P99Ms : null,
            P50Ms = scenario.Overall.P50Ms,
            P99Ms = scenario.Overall.P99Ms,
            P999Ms = scenario.Overall.P999Ms,
            ServerCpuMicrosPerCall = scenario.ServerCpuMicrosPerCall,
            ServerGcPauseShare = scenario.ServerGcPauseShare,
            ServerAllocatedBytesPerCall = scenario.ServerAllocatedBytesPerCall,
        };
    }
}

public sealed record PrepareReport
{
    public int MembersLoaded { get; init; }
    public int MembersCreated { get; init; }
    public int MembersExisting { get; init; }
    public long LoadFailures { get; init; }
    public double LoadSeconds { get; init; }
    public double LoadPerSecond { get; init; }
    public int BaselineProbes { get; init; }
    public int Baselines { get; init; }
    public double BaselineSeconds { get; init; }
    public OpResult? Identify { get; init; }
}

public sealed record RunReport
{
    public string Tool { get; init; } = "ProfileGrains.LoadTests";
    public required string Command { get; init; }
    public required string Scenario { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string RunTag { get; init; }
    public required IReadOnlyList<string> Targets { get; init; }
    public required Dictionary<string, string> Settings { get; init; }
    public PrepareReport? Prepare { get; init; }
    public List<PhaseReport> Phases { get; init; } = [];
    public double? ThroughputRatioToEcho { get; init; }
    public double? P50RatioToEcho { get; init; }
    public double? P99RatioToEcho { get; init; }

    /// <summary>Every scenario of the run against the echo measured just before it.</summary>
    public List<EchoComparison> Comparisons { get; init; } = [];
    public double ErrorRate { get; init; }
    public double MaxErrorRate { get; init; }
    public VerificationResult? Verification { get; init; }
    public Dictionary<string, object>? Scale { get; init; }
    public List<string> Failures { get; init; } = [];
    public int ExitCode { get; init; }
}

public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static (string Json, string Markdown) Write(RunReport report, string directory) =>
        ReportFiles.Write(directory, $"{report.StartedAt:yyyyMMdd-HHmmss}-{report.Command}-{report.Scenario}", JsonSerializer.Serialize(report, Json), Markdown(report));

    private static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    public static string Markdown(RunReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## ProfileGrains load test: `{r.Command} {r.Scenario}` ({r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC)");
        sb.AppendLine();
        var settings = string.Join("; ", r.Settings.Select(kv => $"{kv.Key} {kv.Value}"));
        sb.AppendLine(CultureInfo.InvariantCulture, $"Targets: {string.Join(", ", r.Targets)}; {settings}");
        sb.AppendLine();

        if (r.Prepare is { } p && p.MembersLoaded > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"Prepare: {N(p.MembersLoaded)} members loaded by Identify in {F(p.LoadSeconds)} s ({N(p.LoadPerSecond)}/s; {N(p.MembersCreated)} created, {N(p.MembersExisting)} already known, {N(p.LoadFailures)} failed); {N(p.Baselines)} baselines from {N(p.BaselineProbes)} probes in {F(p.BaselineSeconds)} s.");
            sb.AppendLine();
        }

        if (r.Phases.Count > 0)
        {
            sb.AppendLine("| phase | operation | calls | errors | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
            sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var phase in r.Phases)
            {
                foreach (var op in phase.Ops)
                {
                    Row(sb, phase.Name, op.Op, op);
                }

                if (phase.Ops.Count > 1)
                {
                    Row(sb, phase.Name, "**all**", phase.Overall);
                }
            }

            sb.AppendLine();
            foreach (var phase in r.Phases)
            {
                var extra = phase.Events > 0 ? $", {N(phase.Events)} events ({N(phase.EventsPerSecond)} events/s)" : string.Empty;
                var open = phase.Unsent > 0 || phase.LateStarts > 0 ? $", {N(phase.LateStarts)} late starts, {N(phase.Unsent)} never sent" : string.Empty;
                var errors = phase.Overall.Errors.Count > 0 ? "; errors " + string.Join(", ", phase.Overall.Errors.Select(e => $"{e.Key} {N(e.Value)}")) : string.Empty;
                var harness = phase.StepFailures > 0 ? $"; {phase.StepFailures} harness step failures" : string.Empty;
                var cpu = $"; CPU: client {F(phase.ClientCpuSeconds, "0.0")} s = {F(phase.ClientCpuMicrosPerCall, "0")} µs/call" +
                    (phase.ServerCpuSeconds is { } server ? $", server {F(server, "0.0")} s = {F(phase.ServerCpuMicrosPerCall ?? 0, "0")} µs/call, together {F(phase.MachineBusy * 100, "0")}% of the {Environment.ProcessorCount} cores" : string.Empty) +
                    $"; machine busy (all processes) {F(phase.MachineBusyAllProcesses * 100, "0")}%" +
                    (phase.ServerGcPauseShare is { } pause ? $"; engine GC: paused {F(pause * 100, "0.0")}% of the phase, {N(phase.ServerGcCollections ?? 0)} collections ({N(phase.ServerGen2Collections ?? 0)} gen 2), {F((phase.ServerAllocatedBytesPerCall ?? 0) / 1024, "0.0")} KB allocated per call" : string.Empty);
                var commits = phase.StorageCommits.Count == 0 ? string.Empty : "; group commits: " + string.Join(", ", phase.StorageCommits.Select(c =>
                    $"{c.Store} {N(c.Commits)} ({F(c.WritesPerCommit, "0.0")} writes each; p50 {F(c.P50Ms, "0.0")} ms, p99 {F(c.P99Ms, "0.0")} ms, p99.9 {F(c.P999Ms, "0.0")} ms, mean {F(c.MeanMs, "0.0")} ms)"));
                sb.AppendLine(CultureInfo.InvariantCulture, $"- **{phase.Name}**: {phase.Model}, {F(phase.Seconds, "0.0")} s, {N(phase.Calls)} calls, {N(phase.Throughput)} calls/s{extra}{open}{errors}{harness}{cpu}{commits}");
            }

            foreach (var phase in r.Phases.Where(p => p.Calls > 0 && (p.Unsent > 0 || p.LateStarts > p.Calls / 10)))
            {
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"- note: **{phase.Name}** did not keep its schedule ({N(phase.LateStarts)} of {N(phase.Calls)} calls started more than 1 ms late, {N(phase.Unsent)} never sent): the engine or this client was saturated, and latencies include the wait, as an open model should.");
            }

            foreach (var c in r.Comparisons)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- **{c.Scenario} / echo**: throughput {F(c.ThroughputRatio ?? 0, "0.000")}x{(c.EventsPerSecond > c.Throughput ? " (in events)" : string.Empty)}, p50 {F(c.P50Ratio ?? 0, "0.0")}x, p99 {F(c.P99Ratio ?? 0, "0.0")}x");
            }

            sb.AppendLine(CultureInfo.InvariantCulture, $"- error rate {F(r.ErrorRate * 100, "0.000")}% (limit {F(r.MaxErrorRate * 100, "0.###")}%)");
            sb.AppendLine();
        }

        if (r.Comparisons.Count > 1)
        {
            sb.AppendLine("| scenario | calls/s (events/s) | echo calls/s just before | ratio | p50 ms | p99 ms | p99.9 ms | engine CPU per call | engine GC paused | allocated per call |");
            sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var c in r.Comparisons)
            {
                var rate = c.EventsPerSecond > c.Throughput ? $"{N(c.Throughput)} ({N(c.EventsPerSecond)})" : N(c.Throughput);
                var cpu = c.ServerCpuMicrosPerCall is { } us ? $"{F(us, "0")} µs" : "—";
                var gc = c.ServerGcPauseShare is { } pause ? $"{F(pause * 100, "0.0")} %" : "—";
                var allocated = c.ServerAllocatedBytesPerCall is { } bytes ? $"{F(bytes / 1024, "0.0")} KB" : "—";
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Scenario} | {rate} | {N(c.EchoThroughput)} | **{F(c.ThroughputRatio ?? 0, "0.00")}×** | {F(c.P50Ms, "0.0")} | {F(c.P99Ms, "0.0")} | {F(c.P999Ms, "0.0")} | {cpu} | {gc} | {allocated} |");
            }

            sb.AppendLine();
        }

        if (r.Scale is { } scale)
        {
            sb.AppendLine("| measure | value |");
            sb.AppendLine("|---|--:|");
            foreach (var (key, value) in scale)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {(value is double d ? F(d) : Convert.ToString(value, CultureInfo.InvariantCulture))} |");
            }

            sb.AppendLine();
        }

        if (r.Verification is { } v)
        {
            if (v.Skipped)
            {
                sb.AppendLine("Correctness check: skipped.");
            }
            else
            {
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"Correctness check **{(v.Passed ? "PASSED" : "FAILED")}**: {N(v.CheckedCustomers)} of {N(v.TouchedCustomers)} touched customers read back in {F(v.Seconds)} s; {N(v.AcceptedEvents)} events acknowledged ACCEPTED; {N(v.UnexpectedDuplicates)} unexpected DUPLICATE outcomes; {N(v.UncertainEvents)} events of ambiguous failed calls; {N(v.BaselinedCustomers)} customers had earlier counts; stitching: {N(v.StitchedPeopleChecked)} people checked, {N(v.StitchSplits)} split; identifier conflicts reported by the engine: {N(v.ConflictsReported)} (identifiers the engine did not link: junk, limits, quarantine).");
                if (v.Mismatches.Count > 0)
                {
                    sb.AppendLine();
                    sb.AppendLine("| customer | read by | what | expected | actual | detail |");
                    sb.AppendLine("|---|---|---|--:|--:|---|");
                    foreach (var m in v.Mismatches.Take(100))
                    {
                        sb.AppendLine(CultureInfo.InvariantCulture, $"| {m.CustomerId} | {m.Probe} | {m.What} | {m.Expected} | {m.Actual} | {m.Detail.Replace("|", "/", StringComparison.Ordinal)} |");
                    }

                    if (v.Mismatches.Count > 100)
                    {
                        sb.AppendLine(CultureInfo.InvariantCulture, $"\n... and {v.Mismatches.Count - 100} more (see the JSON file).");
                    }
                }

                foreach (var d in v.DuplicateSamples.Take(20))
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- unexpected duplicate: {d}");
                }
            }

            sb.AppendLine();
        }

        sb.AppendLine(r.Failures.Count == 0 ? "Result: **PASS** (exit code 0)" : $"Result: **FAIL** (exit code {r.ExitCode}): " + string.Join("; ", r.Failures));
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string phase, string op, OpResult o) =>
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| {phase} | {op} | {N(o.Calls)} | {N(o.Failed)} | {N(o.Throughput)} | {F(o.P50Ms, "0.000")} | {F(o.P90Ms, "0.000")} | {F(o.P99Ms, "0.000")} | {F(o.P999Ms, "0.000")} | {F(o.MaxMs, "0.0")} |");
}

/// <summary>Where every command's report goes: a JSON file and a Markdown file side by side, and the Markdown printed.</summary>
public static class ReportFiles
{
    public static (string Json, string Markdown) Write(string directory, string stem, string json, string markdown)
    {
        Directory.CreateDirectory(directory);
        var jsonPath = Path.Combine(directory, stem + ".json");
        var markdownPath = Path.Combine(directory, stem + ".md");
        File.WriteAllText(jsonPath, json);
        File.WriteAllText(markdownPath, markdown);
        return (jsonPath, markdownPath);
    }

    /// <summary>Prints the report and where it was written; returns the command's exit code.</summary>
    public static int Print(string markdown, (string Json, string Markdown) files, int exitCode)
    {
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"results: {files.Json}");
        Console.WriteLine($"         {files.Markdown}");
        return exitCode;
    }
}
