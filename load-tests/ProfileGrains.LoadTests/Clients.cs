using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using ProfileGrains.Protos;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>Where the harness may send traffic: loopback only. Anything else is refused before a single byte is sent.</summary>
public static class Targets
{
    public static IReadOnlyList<Uri> Parse(string spec)
    {
        var result = new List<Uri>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var text = part.Contains("://", StringComparison.Ordinal) ? part : "http://" + part;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"'{part}' is not an http(s) address such as http://127.0.0.1:5080");
            }

            if (!IsLoopback(uri.Host))
            {
                throw new ArgumentException($"refusing target '{part}': only 127.0.0.1 / localhost (loopback) addresses may be load-tested");
            }

            if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                throw new ArgumentException($"'{part}': give only scheme, host and port");
            }

            result.Add(uri);
        }

        return result.Count > 0 ? result : throw new ArgumentException("at least one --target is required");
    }

    private static bool IsLoopback(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}

/// <summary>One set of gRPC clients per channel; calls go round-robin over the channels (one or more per target).</summary>
public sealed class Clients : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly ProfileService.ProfileServiceClient[] _profiles;
    private readonly DiagnosticsService.DiagnosticsServiceClient[] _diagnostics;
    private readonly SegmentService.SegmentServiceClient[] _segments;
    private readonly List<int> _firstChannelOfTarget = [];
    private long _next;

    public Clients(IReadOnlyList<Uri> targets, int channelsPerTarget)
    {
        var channels = new List<GrpcChannel>();
        var credentials = EngineCredentials.FromEnvironment();
        foreach (var target in targets)
        {
            _firstChannelOfTarget.Add(channels.Count);
            for (var i = 0; i < Math.Max(1, channelsPerTarget); i++)
            {
                channels.Add(credentials.OpenChannel(
                    target,
                    new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 },
                    new SocketsHttpHandler
                    {
                        // More than 100 concurrent calls on one channel would queue behind Kestrel's stream limit.
                        EnableMultipleHttp2Connections = true,
                        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                        ConnectTimeout = TimeSpan.FromSeconds(5),
                    }));
            }
        }

        _channels = [.. channels];
        _profiles = [.. _channels.Select(c => new ProfileService.ProfileServiceClient(c))];
        _diagnostics = [.. _channels.Select(c => new DiagnosticsService.DiagnosticsServiceClient(c))];
        _segments = [.. _channels.Select(c => new SegmentService.SegmentServiceClient(c))];
    }

    public int ChannelCount => _channels.Length;

    /// <summary>Garbage-collection totals of every engine targeted, added up; null when an engine did not answer.</summary>
    public async Task<EngineTotals?> EngineTotalsAsync(CancellationToken ct)
    {
        try
        {
            var stats = await Task.WhenAll(_firstChannelOfTarget.Select(i => _diagnostics[i]).Select(d => d.GetServerStatsAsync(new ServerStatsRequest(), cancellationToken: ct).ResponseAsync));
            return new EngineTotals(
                stats.Sum(s => s.GcPauseTotalMs),
                stats.Sum(s => s.GcAllocatedBytes),
                stats.Sum(s => s.GcGen0Collections + s.GcGen1Collections + s.GcGen2Collections),
                stats.Sum(s => s.GcGen2Collections),
                [.. stats.SelectMany(s => s.StorageCommits)]);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    public ProfileService.ProfileServiceClient Profile => _profiles[NextIndex()];

    public DiagnosticsService.DiagnosticsServiceClient Diagnostics => _diagnostics[NextIndex()];

    public SegmentService.SegmentServiceClient Segments => _segments[NextIndex()];

    private int NextIndex() => _channels.Length == 1 ? 0 : (int)((ulong)Interlocked.Increment(ref _next) % (ulong)_channels.Length);

    public void Dispose()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }
    }
}

/// <summary>Garbage-collection totals since the engines started: pause time, bytes allocated, collections (all, and gen 2).</summary>
/// <summary>The engines' totals since they started, read before and after a phase: GC, and group commits per store (every silo's added up).</summary>
public sealed record EngineTotals(double PauseMs, long AllocatedBytes, long Collections, long Gen2Collections, IReadOnlyList<StorageCommits> Commits);
