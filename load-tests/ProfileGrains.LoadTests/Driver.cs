using System.Diagnostics;
using Grpc.Core;

namespace ProfileGrains.LoadTests;

/// <summary>Deterministic seeds (HashCode.Combine is randomised per process, so it cannot be used).</summary>
public static class Seeds
{
    public static int Mix(int a, int b, int c) => unchecked((int)((((uint)a * 0x9E3779B1u) ^ ((uint)b * 0x85EBCA77u)) + ((uint)c * 0xC2B2AE3Du)));

    public static int Of(string text)
    {
        var h = 17;
        foreach (var ch in text)
        {
            h = unchecked((h * 31) + ch);
        }

        return h;
    }
}

/// <summary>Everything a scenario step may use; shared by all workers of a run.</summary>
public sealed class RunContext
{
    private long _sequence;

    public required Clients Clients { get; init; }
    public required Population Population { get; init; }
    public required Ledger Ledger { get; init; }
    public required StitchBook Stitches { get; init; }
    public required TimeSpan CallTimeout { get; init; }
    public required int Seed { get; init; }

    /// <summary>Unique per run (seed and start time): event and order ids never repeat, even against an engine that is not fresh.</summary>
    public required string RunTag { get; init; }

    /// <summary>"seed-run-sequence": unique, so an accidental duplicate can only come from the engine.</summary>
    public string NextId(string kind) => $"{kind}-{RunTag}-{Interlocked.Increment(ref _sequence)}";
}

/// <summary>One step = one RPC. A closed-model worker reuses its context; the open model makes one per arrival.</summary>
public sealed class StepContext(RunContext run, Metrics metrics, Random random, CancellationToken ct)
{
    public RunContext Run { get; } = run;
    public Metrics Metrics { get; } = metrics;
    public Random Random { get; } = random;
    public CancellationToken CancellationToken { get; } = ct;

    /// <summary>Open model: when the step should have started. Its first call's latency is measured from there.</summary>
    public long? IntendedStart { get; set; }

    public async Task<CallResult<T>> Call<T>(string op, Func<CallOptions, AsyncUnaryCall<T>> invoke)
    {
        var start = IntendedStart ?? Stopwatch.GetTimestamp();
        IntendedStart = null;
        var options = new CallOptions(deadline: DateTime.UtcNow + Run.CallTimeout, cancellationToken: CancellationToken);
        try
        {
            var response = await invoke(options).ResponseAsync.ConfigureAwait(false);
            Metrics.Record(op, start, Stopwatch.GetTimestamp(), null);
            return new CallResult<T>(response, null);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or HttpRequestException or IOException)
        {
            Metrics.Record(op, start, Stopwatch.GetTimestamp(), Metrics.ErrorCode(e));
            return new CallResult<T>(default, e);
        }
    }
}

public readonly record struct CallResult<T>(T? Response, Exception? Error)
{
    public bool Ok => Error is null;
}

public abstract class Scenario
{
    public abstract string Name { get; }

    /// <summary>Called once per step; must make exactly one RPC through <see cref="StepContext.Call{T}"/>.</summary>
    public abstract Task StepAsync(StepContext step);
}

public sealed record LoadModel(int Concurrency, double Rate, int MaxInFlight, long MaxRequests)
{
    public bool Open => Rate > 0;

    public string Describe() => Open ? $"open, {Rate:0.#} calls/s, at most {MaxInFlight} in flight" : $"closed, {Concurrency} workers";
}

public sealed record PhaseRun(Metrics Metrics, double Seconds, long Unsent, long LateStarts, long StepFailures);

/// <summary>Runs one scenario for a bounded time and a bounded number of calls, then stops by itself.</summary>
public static class Driver
{
    public static async Task<PhaseRun> RunAsync(Scenario scenario, RunContext run, LoadModel model, TimeSpan duration, Metrics metrics, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        long stepFailures = 0;

        async Task Step(StepContext ctx)
        {
            try
            {
                await scenario.StepAsync(ctx).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // A bug of the harness, not an RPC failure: count it and go on; the report shows it.
                if (Interlocked.Increment(ref stepFailures) <= 3)
                {
                    await Console.Error.WriteLineAsync($"step of '{scenario.Name}' failed: {e}").ConfigureAwait(false);
                }
            }
        }

        if (!model.Open)
        {
            var workers = Enumerable.Range(0, Math.Max(1, model.Concurrency)).Select(w => Task.Run(async () =>
            {
                var ctx = new StepContext(run, metrics, new Random(Seeds.Mix(run.Seed, Seeds.Of(scenario.Name), w)), ct);
                while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < end && Interlocked.Increment(ref issued) <= model.MaxRequests)
                {
                    await Step(ctx).ConfigureAwait(false);
                }
            }, CancellationToken.None)).ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
            return new PhaseRun(metrics, Stopwatch.GetElapsedTime(started).TotalSeconds, 0, 0, stepFailures);
        }

        // Open model: arrivals follow a fixed schedule whatever the engine does. A step's latency counts from its
        // scheduled time, so a stalled engine shows up as latency instead of silently lowering the send rate.
        var interval = Stopwatch.Frequency / model.Rate;
        using var inFlight = new SemaphoreSlim(model.MaxInFlight, model.MaxInFlight);
        var running = new List<Task>();
        long k = 0;
        long late = 0;
        var lateThreshold = Stopwatch.Frequency / 1000; // 1 ms behind schedule
        try
        {
            // A dedicated thread: Thread.Sleep wakes within ~0.1 ms on Linux, where Task.Delay (timer queue, then thread
            // pool) is often 1-3 ms late, which would be charged to the engine as latency.
            await Task.Factory.StartNew(Dispatch, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        var scheduled = (long)Math.Min(model.MaxRequests, Math.Floor(duration.TotalSeconds * model.Rate));
        return new PhaseRun(metrics, Stopwatch.GetElapsedTime(started).TotalSeconds, ct.IsCancellationRequested ? 0 : Math.Max(0, scheduled - k), late, stepFailures);

        void Dispatch()
        {
            while (!ct.IsCancellationRequested && k < model.MaxRequests)
            {
                var intended = started + (long)(k * interval);
                if (intended >= end)
                {
                    break;
                }

                var now = Stopwatch.GetTimestamp();
                if (intended - now > lateThreshold)
                {
                    // Sleep in 1 ms steps; within 1 ms of the schedule the call goes out (timed from its actual start then).
                    Thread.Sleep(1);
                    continue;
                }

                // Bounded in-flight: when the engine cannot keep up, dispatch is late, and that lateness is measured.
                var remaining = TimeSpan.FromTicks(Math.Max(0, (long)((end - now) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                if (!inFlight.Wait(remaining, ct))
                {
                    break;
                }

                if (Stopwatch.GetTimestamp() - intended > lateThreshold)
                {
                    late++;
                }

                // Latency counts from the schedule, or from the actual start when that is (slightly) earlier.
                var ctx = new StepContext(run, metrics, Random.Shared, ct) { IntendedStart = Math.Min(intended, Stopwatch.GetTimestamp()) };
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await Step(ctx).ConfigureAwait(false);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }, CancellationToken.None));
                k++;
                if (running.Count > 4096)
                {
                    running.RemoveAll(t => t.IsCompleted);
                }
            }
        }
    }
}
