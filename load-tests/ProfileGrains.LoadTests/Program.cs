using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ProfileGrains.LoadTests;

var target = new Option<string>("--target")
{
    Description = "Engine address(es), comma separated; calls go round-robin. Loopback only (127.0.0.1, localhost, ::1).",
    DefaultValueFactory = _ => "http://127.0.0.1:5080",
};
var customers = new Option<int>("--customers") { Description = "Synthetic customers per population (members loaded before the run; as many web visitors and stitching people).", DefaultValueFactory = _ => 1000 };
var duration = new Option<TimeSpan>("--duration") { Description = "Measured time of each phase (echo, then the scenario): 30s, 2m, 500ms.", DefaultValueFactory = _ => TimeSpan.FromSeconds(15), CustomParser = Cli.Duration };
var warmup = new Option<TimeSpan>("--warmup") { Description = "Unmeasured time before each phase (the JIT needs a few seconds to reach full speed).", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = Cli.Duration };
var concurrency = new Option<int>("--concurrency") { Description = "Closed model: this many workers, each making one call after another.", DefaultValueFactory = _ => 16 };
var rate = new Option<double>("--rate") { Description = "Open model: constant arrival rate in calls/s (latency counted from the scheduled send time). 0 = closed model.", DefaultValueFactory = _ => 0 };
var maxInFlight = new Option<int>("--max-in-flight") { Description = "Open model: bound on calls in flight.", DefaultValueFactory = _ => 256 };
var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data and of the scenario choices.", DefaultValueFactory = _ => 42 };
var output = new Option<string>("--out") { Description = "Directory for the JSON and Markdown results (default load-tests/results/).", DefaultValueFactory = _ => Cli.DefaultResults() };
var maxRequests = new Option<long>("--max-requests") { Description = "Hard cap on calls per phase (warm-up and measurement each).", DefaultValueFactory = _ => 5_000_000 };
var timeout = new Option<TimeSpan>("--timeout") { Description = "Deadline of every call.", DefaultValueFactory = _ => TimeSpan.FromSeconds(30), CustomParser = Cli.Duration };
var channels = new Option<int>("--channels-per-target") { Description = "gRPC channels (HTTP/2 connections) per target.", DefaultValueFactory = _ => 1 };
var maxErrorRate = new Option<double>("--max-error-rate") { Description = "Fail (exit 2) when a larger fraction of calls fails.", DefaultValueFactory = _ => 0.01 };
var verifySample = new Option<int>("--verify-sample") { Description = "Read back only this many touched customers (at least 1,000); 0 = all.", DefaultValueFactory = _ => 0 };
var plain = new Option<bool>("--plain") { Description = "Plain progress lines even on a terminal." };
var serverPid = new Option<int?>("--server-pid") { Description = "Process id of the engine on this machine: its CPU and VmRSS are read from /proc." };
var serverPids = new Option<string?>("--server-pid") { Description = "Process ids of the engines on this machine, separated by commas: their CPU, added up, is read from /proc." };

var scenario = new Option<string>("--scenario")
{
    Description = "echo | web | pos | lookup | identify | ingest | track | batch | mixed, or several separated by commas (lookup,pos,track,batch,web): members are loaded once, each scenario is measured right after an echo phase of its own, and one correctness check ends the run. track and batch are ingest with one Track per call and with TrackBatch.",
    Required = true,
};
var segments = new Option<int>("--segments") { Description = "Define this many synthetic segments (load-0000, load-0001, ...: purchase counts, spend, browsing, consent, RFM, time-driven rules) before loading anyone, so every change is evaluated against them.", DefaultValueFactory = _ => 0 };
var batchSize = new Option<int>("--batch-size") { Description = "Events per TrackBatch call (ingest) / customers per TrackBatch (scale).", DefaultValueFactory = _ => 100 };
var ingestMode = new Option<string>("--ingest-mode") { Description = "batch (TrackBatch) or track (one Track per call).", DefaultValueFactory = _ => "batch" };
ingestMode.AcceptOnlyFromAmong("batch", "track");
var mix = new Option<string>("--mix") { Description = "Weights of the mixed scenario.", DefaultValueFactory = _ => "web=45,pos=30,identify=15,ingest=10" };
var skipVerify = new Option<bool>("--skip-verify") { Description = "No correctness check (pure throughput runs)." };
var membersLoaded = new Option<bool>("--members-loaded")
{
    Description = "The members were loaded by an earlier run against this engine (same --customers and --seed): do not load them again, so customers that have since left memory are met as they are. Only with --scenario lookup, which changes nothing.",
};
var echoBytes = new Option<int>("--echo-bytes") { Description = "Payload of each Echo call.", DefaultValueFactory = _ => 128 };

var run = new Command("run", "Echo baseline, then a scenario, side by side; then checks that nothing acknowledged was lost.")
{
    scenario, target, customers, duration, warmup, concurrency, rate, maxInFlight, seed, output, maxRequests, timeout,
    batchSize, ingestMode, mix, verifySample, skipVerify, maxErrorRate, echoBytes, channels, plain, serverPids, segments,
    membersLoaded,
};
run.SetAction(async (parse, ct) =>
{
    RunSettings settings;
    try
    {
        settings = new RunSettings
        {
            Scenario = parse.GetRequiredValue(scenario),
            Scenarios = RunSettings.ParseScenarios(parse.GetRequiredValue(scenario)),
            Segments = parse.GetValue(segments) is >= 0 and <= 10_000 ? parse.GetValue(segments) : throw new ArgumentException("--segments must be between 0 and 10000"),
            Targets = Targets.Parse(parse.GetRequiredValue(target)),
            Customers = Cli.Positive(parse.GetValue(customers), "--customers", max: 20_000_000),
            Duration = Cli.Positive(parse.GetValue(duration), "--duration"),
            Warmup = parse.GetValue(warmup) >= TimeSpan.Zero ? parse.GetValue(warmup) : throw new ArgumentException("--warmup must not be negative"),
            Concurrency = Cli.Positive(parse.GetValue(concurrency), "--concurrency", max: 10_000),
            Rate = parse.GetValue(rate) >= 0 ? parse.GetValue(rate) : throw new ArgumentException("--rate must not be negative"),
            MaxInFlight = Cli.Positive(parse.GetValue(maxInFlight), "--max-in-flight", max: 100_000),
            Seed = parse.GetValue(seed),
            Out = parse.GetRequiredValue(output),
            MaxRequests = Cli.Positive(parse.GetValue(maxRequests), "--max-requests"),
            Timeout = Cli.Positive(parse.GetValue(timeout), "--timeout"),
            BatchSize = Cli.Positive(parse.GetValue(batchSize), "--batch-size", max: 1000),
            IngestBatch = parse.GetValue(ingestMode) != "track",
            Mix = Cli.Mix(parse.GetRequiredValue(mix)),
            VerifySample = parse.GetValue(verifySample),
            SkipVerify = parse.GetValue(skipVerify),
            MembersLoaded = parse.GetValue(membersLoaded) && RunSettings.ParseScenarios(parse.GetRequiredValue(scenario)) is not ["lookup"]
                ? throw new ArgumentException("--members-loaded is for --scenario lookup alone: other scenarios change profiles and need the load's baselines")
                : parse.GetValue(membersLoaded),
            MaxErrorRate = parse.GetValue(maxErrorRate),
            EchoBytes = Math.Clamp(parse.GetValue(echoBytes), 0, 64 * 1024),
            ChannelsPerTarget = Cli.Positive(parse.GetValue(channels), "--channels-per-target", max: 64),
            ServerPids = Cli.Pids(parse.GetValue(serverPids)),
        };
        foreach (var pid in settings.ServerPids)
        {
            _ = ServerMemory.Read(pid);
        }
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync("error: " + e.Message);
        return ExitCodes.BadArguments;
    }

    Progress.Plain |= parse.GetValue(plain);
    return await Cli.Guard(() => RunCommand.ExecuteAsync(settings, ct));
});

var scaleCustomers = new Option<int>("--customers") { Description = "Customers to load.", DefaultValueFactory = _ => 100_000 };
var startIndex = new Option<int>("--start-index") { Description = "First synthetic customer index (load more on top of an earlier scale run).", DefaultValueFactory = _ => 0 };
var settle = new Option<TimeSpan>("--settle") { Description = "Wait before the last memory reading (grain state is flushed every 5 s).", DefaultValueFactory = _ => TimeSpan.FromSeconds(12), CustomParser = Cli.Duration };
var maxTime = new Option<TimeSpan>("--max-time") { Description = "Stop loading after this long whatever is left.", DefaultValueFactory = _ => TimeSpan.FromMinutes(30), CustomParser = Cli.Duration };
var scaleSample = new Option<int>("--verify-sample") { Description = "Loaded customers read back afterwards.", DefaultValueFactory = _ => 1000 };
var batchedCreation = new Option<bool>("--batched-creation")
{
    Description = "Create customers by their purchase events alone (three identifiers on each event, no Identify, no traits): one TrackBatch per --batch-size customers. Expects customers new to the engine.",
};
var scale = new Command("scale", "Loads N customers (Identify + one purchase by TrackBatch each); reports load time and server memory per customer.")
{
    target, scaleCustomers, startIndex, concurrency, batchSize, seed, serverPid, settle, maxTime, output, timeout, scaleSample, maxErrorRate, channels, plain, batchedCreation,
};
scale.SetAction(async (parse, ct) =>
{
    ScaleSettings settings;
    try
    {
        settings = new ScaleSettings
        {
            Targets = Targets.Parse(parse.GetRequiredValue(target)),
            Customers = Cli.Positive(parse.GetValue(scaleCustomers), "--customers", max: 20_000_000),
            StartIndex = parse.GetValue(startIndex) >= 0 ? parse.GetValue(startIndex) : throw new ArgumentException("--start-index must not be negative"),
            Concurrency = Cli.Positive(parse.GetValue(concurrency), "--concurrency", max: 10_000),
            BatchSize = Cli.Positive(parse.GetValue(batchSize), "--batch-size", max: 1000),
            Seed = parse.GetValue(seed),
            ServerPid = parse.GetValue(serverPid),
            Settle = parse.GetValue(settle),
            MaxTime = Cli.Positive(parse.GetValue(maxTime), "--max-time"),
            Out = parse.GetRequiredValue(output),
            Timeout = Cli.Positive(parse.GetValue(timeout), "--timeout"),
            VerifySample = parse.GetValue(scaleSample),
            MaxErrorRate = parse.GetValue(maxErrorRate),
            ChannelsPerTarget = Cli.Positive(parse.GetValue(channels), "--channels-per-target", max: 64),
            BatchedCreation = parse.GetValue(batchedCreation),
        };
        _ = ServerMemory.Read(settings.ServerPid);
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync("error: " + e.Message);
        return ExitCodes.BadArguments;
    }

    Progress.Plain |= parse.GetValue(plain);
    return await Cli.Guard(() => ScaleCommand.ExecuteAsync(settings, ct));
});

var people = new Option<int>("--people") { Description = "Synthetic people of the identity-quality world.", DefaultValueFactory = _ => 2000 };
var junkRate = new Option<double>("--junk-rate") { Description = "Extra observations carrying a shared junk identifier (test@test.com, 06 99 99 99 99, LOY0000000000...), as a fraction of the real ones.", DefaultValueFactory = _ => 0.01 };
var anonymousSessions = new Option<int>("--anonymous-sessions") { Description = "Per person, extra web sessions: browsing under a fresh anonymous id, then signing in with the email on it (0-40).", DefaultValueFactory = _ => 0 };
var qualityMaxTime = new Option<TimeSpan>("--max-time") { Description = "Bound of each phase (ingestion, read-back): what is left is not sent and the run fails.", DefaultValueFactory = _ => TimeSpan.FromMinutes(10), CustomParser = Cli.Duration };
var requireRecall = new Option<bool>("--require-recall") { Description = "Also fail (exit 4) when cross-identifier recall is under 99 % (otherwise reported only)." };
var quality = new Command("quality", "Identity quality: people seen through several channels with identifiers in many spellings and a few shared junk ones; Identify all, read back, compare with the truth (pairwise precision/recall, collapsed profiles, split people).")
{
    target, people, seed, junkRate, anonymousSessions, concurrency, qualityMaxTime, timeout, output, maxErrorRate, channels, requireRecall, plain,
};
quality.SetAction(async (parse, ct) =>
{
    QualitySettings settings;
    try
    {
        var rateValue = parse.GetValue(junkRate);
        settings = new QualitySettings
        {
            Targets = Targets.Parse(parse.GetRequiredValue(target)),
            People = Cli.Positive(parse.GetValue(people), "--people", max: IdentityWorld.MaxPeople),
            Seed = parse.GetValue(seed),
            JunkRate = rateValue is >= 0 and <= 0.5 ? rateValue : throw new ArgumentException("--junk-rate must be between 0 and 0.5"),
            AnonymousSessions = parse.GetValue(anonymousSessions) is >= 0 and <= 40 and var sessions ? sessions : throw new ArgumentException("--anonymous-sessions must be between 0 and 40"),
            Concurrency = Cli.Positive(parse.GetValue(concurrency), "--concurrency", max: 10_000),
            MaxTime = Cli.Positive(parse.GetValue(qualityMaxTime), "--max-time"),
            Timeout = Cli.Positive(parse.GetValue(timeout), "--timeout"),
            Out = parse.GetRequiredValue(output),
            MaxErrorRate = parse.GetValue(maxErrorRate),
            ChannelsPerTarget = Cli.Positive(parse.GetValue(channels), "--channels-per-target", max: 64),
            RequireRecall = parse.GetValue(requireRecall),
        };
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync("error: " + e.Message);
        return ExitCodes.BadArguments;
    }

    Progress.Plain |= parse.GetValue(plain);
    return await Cli.Guard(() => QualityCommand.ExecuteAsync(settings, ct));
});

var root = new RootCommand("ProfileGrains load tests: scenarios against the gRPC gateway, an echo floor beside them, and a nothing-lost check.")
{
    run,
    scale,
    quality,
};
return await root.Parse(args).InvokeAsync();

internal static class Cli
{
    /// <summary>A failure outside the measured calls (the engine broke down during preparation, a bug): say so, exit 3 or 70.</summary>
    public static async Task<int> Guard(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Grpc.Core.RpcException e)
        {
            await Console.Error.WriteLineAsync($"error: the engine failed outside the measured calls: {e.StatusCode} {e.Status.Detail}");
            return ExitCodes.EngineUnreachable;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("error: " + e);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>"30s", "500ms", "2m", "1h", "15" (seconds) or a TimeSpan such as "00:00:30".</summary>
    public static TimeSpan Duration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        if (TryDuration(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration (examples: 30s, 500ms, 2m, 1h)");
        return TimeSpan.Zero;
    }

    public static bool TryDuration(string text, out TimeSpan value)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plainSeconds) && plainSeconds >= 0)
        {
            value = TimeSpan.FromSeconds(plainSeconds);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    public static int Positive(int value, string name, int max = int.MaxValue) =>
        value > 0 && value <= max ? value : throw new ArgumentException($"{name} must be between 1 and {max}");

    public static IReadOnlyList<int> Pids(string? spec) =>
        [.. (spec ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : throw new ArgumentException($"--server-pid: '{p}' is not a process id"))];

    public static long Positive(long value, string name) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be positive");

    public static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentException($"{name} must be positive");

    public static IReadOnlyDictionary<string, int> Mix(string spec)
    {
        var known = new[] { "web", "pos", "identify", "ingest" };
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !known.Contains(kv[0]) || !int.TryParse(kv[1], CultureInfo.InvariantCulture, out var w) || w < 0)
            {
                throw new ArgumentException($"--mix: '{part}' is not name=weight with a name among {string.Join(", ", known)}");
            }

            result[kv[0]] = w;
        }

        return result.Values.Sum() > 0 ? result : throw new ArgumentException("--mix needs at least one positive weight");
    }

    /// <summary>load-tests/results/ of the repository the tool runs from (git-ignored), else ./results.</summary>
    public static string DefaultResults()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "load-tests", "ProfileGrains.LoadTests")))
                {
                    return Path.Combine(dir.FullName, "load-tests", "results");
                }

                if (dir.Name == "load-tests" && Directory.Exists(Path.Combine(dir.FullName, "ProfileGrains.LoadTests")))
                {
                    return Path.Combine(dir.FullName, "results");
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "results");
    }
}
