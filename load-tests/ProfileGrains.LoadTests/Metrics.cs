using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;

namespace ProfileGrains.LoadTests;

/// <summary>Latency (µs, up to 60 s, 3 significant digits) and outcomes of one RPC name in one phase.</summary>
public sealed class OpStats(string name)
{
    public const long HighestMicros = 60_000_000;
    private readonly Lock _lock = new();
    private readonly LongHistogram _histogram = new(1, HighestMicros, 3);
    private readonly LongHistogram _interval = new(1, HighestMicros, 3);
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _ok;
    private long _failed;
    private long _clamped;

    public string Name { get; } = name;

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    public void Record(long micros, string? errorCode)
    {
        var value = Math.Clamp(micros, 1, HighestMicros);
        lock (_lock)
        {
            _histogram.RecordValue(value);
            _interval.RecordValue(value);
            if (value != micros && micros > HighestMicros)
            {
                _clamped++;
            }

            if (errorCode is null)
            {
                _ok++;
            }
            else
            {
                _failed++;
                _errors[errorCode] = _errors.GetValueOrDefault(errorCode) + 1;
            }
        }
    }

    public OpResult Snapshot(double seconds)
    {
        lock (_lock)
        {
            var total = _histogram.TotalCount;
            double P(double p) => total == 0 ? 0 : _histogram.GetValueAtPercentile(p) / 1000.0;
            return new OpResult
            {
                Op = Name,
                Calls = _ok + _failed,
                Ok = _ok,
                Failed = _failed,
                Errors = new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
                Throughput = seconds > 0 ? (_ok + _failed) / seconds : 0,
                P50Ms = P(50),
                P90Ms = P(90),
                P99Ms = P(99),
                P999Ms = P(99.9),
                MaxMs = total == 0 ? 0 : _histogram.GetMaxValue() / 1000.0,
                MeanMs = total == 0 ? 0 : _histogram.GetMean() / 1000.0,
                ClampedOver60s = _clamped,
            };
        }
    }

    /// <summary>Adds what was recorded since the last call to <paramref name="target"/>, and starts a new interval.</summary>
    public void DrainIntervalInto(LongHistogram target)
    {
        lock (_lock)
        {
            target.Add(_interval);
            _interval.Reset();
        }
    }

    public void MergeInto(LongHistogram target)
    {
        lock (_lock)
        {
            target.Add(_histogram);
        }
    }
}

/// <summary>All operations of one measured phase. A phase that is only warming up records into a throw-away instance.</summary>
public sealed class Metrics
{
    private readonly ConcurrentDictionary<string, OpStats> _ops = new(StringComparer.Ordinal);
    private long _calls;
    private long _failed;
    private long _events;

    public long Calls => Interlocked.Read(ref _calls);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events ingested (one per Track, the batch size per TrackBatch); the unit of the ingest throughput.</summary>
    public long Events => Interlocked.Read(ref _events);

    public IEnumerable<OpStats> Ops => _ops.Values.OrderBy(o => o.Name, StringComparer.Ordinal);

    public void Record(string op, long startTimestamp, long endTimestamp, string? errorCode)
    {
        var micros = (long)Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds;
        _ops.GetOrAdd(op, static n => new OpStats(n)).Record(micros, errorCode);
        Interlocked.Increment(ref _calls);
        if (errorCode is not null)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void AddEvents(long count) => Interlocked.Add(ref _events, count);

    public List<TimelinePoint> Timeline { get; } = [];

    /// <summary>Latency of the calls completed since the previous tick (all operations), appended to <see cref="Timeline"/>.</summary>
    public TimelinePoint Tick(double atSeconds, double intervalSeconds)
    {
        var h = new LongHistogram(1, OpStats.HighestMicros, 3);
        foreach (var op in _ops.Values)
        {
            op.DrainIntervalInto(h);
        }

        var n = h.TotalCount;
        var point = new TimelinePoint(
            Math.Round(atSeconds, 1),
            n,
            intervalSeconds > 0 ? Math.Round(n / intervalSeconds) : 0,
            n == 0 ? 0 : h.GetValueAtPercentile(50) / 1000.0,
            n == 0 ? 0 : h.GetValueAtPercentile(99) / 1000.0,
            n == 0 ? 0 : h.GetMaxValue() / 1000.0,
            Failed);
        lock (Timeline)
        {
            Timeline.Add(point);
        }

        return point;
    }

    /// <summary>All operations in one histogram, for the phase's overall percentiles.</summary>
    public OpResult Overall(double seconds)
    {
        var all = new OpStats("(all)");
        var merged = new LongHistogram(1, OpStats.HighestMicros, 3);
        foreach (var op in _ops.Values)
        {
            op.MergeInto(merged);
        }

        var snapshot = all.Snapshot(seconds);
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var op in _ops.Values)
        {
            foreach (var (code, n) in op.Snapshot(seconds).Errors)
            {
                errors[code] = errors.GetValueOrDefault(code) + n;
            }
        }

        var total = merged.TotalCount;
        double P(double p) => total == 0 ? 0 : merged.GetValueAtPercentile(p) / 1000.0;
        return snapshot with
        {
            Calls = Calls,
            Ok = Calls - Failed,
            Failed = Failed,
            Errors = errors,
            Throughput = seconds > 0 ? Calls / seconds : 0,
            P50Ms = P(50),
            P90Ms = P(90),
            P99Ms = P(99),
            P999Ms = P(99.9),
            MaxMs = total == 0 ? 0 : merged.GetMaxValue() / 1000.0,
            MeanMs = total == 0 ? 0 : merged.GetMean() / 1000.0,
        };
    }

    public static string ErrorCode(Exception e) => e switch
    {
        RpcException rpc => rpc.StatusCode.ToString(),
        OperationCanceledException => StatusCode.Cancelled.ToString(),
        _ => "Client:" + e.GetType().Name,
    };
}

public sealed record OpResult
{
    public required string Op { get; init; }
    public long Calls { get; init; }
    public long Ok { get; init; }
    public long Failed { get; init; }
    public SortedDictionary<string, long> Errors { get; init; } = new(StringComparer.Ordinal);
    public double Throughput { get; init; }
    public double P50Ms { get; init; }
    public double P90Ms { get; init; }
    public double P99Ms { get; init; }
    public double P999Ms { get; init; }
    public double MaxMs { get; init; }
    public double MeanMs { get; init; }
    public long ClampedOver60s { get; init; }
}

/// <summary>One second of a phase: calls completed, their rate and latency, and the failures so far.</summary>
public sealed record TimelinePoint(double AtSeconds, long Calls, double PerSecond, double P50Ms, double P99Ms, double MaxMs, long FailedSoFar);
