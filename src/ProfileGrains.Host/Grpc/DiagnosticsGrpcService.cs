using Microsoft.AspNetCore.Authorization;
using System.Diagnostics;
using Grpc.Core;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

using ProfileGrains.Host.Security;

namespace ProfileGrains.Host.Grpc;

/// <summary>The load-test floor (Echo: the same gRPC stack as every other RPC, and no grain) and server figures.</summary>
internal sealed class DiagnosticsGrpcService(IGrainFactory grains, ILocalSiloDetails silo, EngineMetrics metrics) : Api.DiagnosticsService.DiagnosticsServiceBase
{
    private const int MaxEchoBytes = 64 * 1024;

    [Authorize(Scopes.Authenticated)]
    public override Task<Api.EchoResponse> Echo(Api.EchoRequest request, ServerCallContext context)
    {
        if (request.Payload.Length > MaxEchoBytes)
        {
            throw GrpcErrors.InvalidArgument("payload", $"must be at most {MaxEchoBytes} bytes");
        }

        return Task.FromResult(new Api.EchoResponse { Payload = request.Payload });
    }

    [Authorize(Scopes.Admin)]
    public override async Task<Api.ServerStats> GetServerStats(Api.ServerStatsRequest request, ServerCallContext context)
    {
        if (request.CollectGarbage)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
        using var process = Process.GetCurrentProcess();
        var stats = new Api.ServerStats
        {
            GcHeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
            WorkingSetBytes = process.WorkingSet64,
            GcPauseTotalMs = GC.GetTotalPauseDuration().TotalMilliseconds,
            GcAllocatedBytes = GC.GetTotalAllocatedBytes(),
            GcGen0Collections = GC.CollectionCount(0),
            GcGen1Collections = GC.CollectionCount(1),
            GcGen2Collections = GC.CollectionCount(2),
        };
        foreach (var (store, totals) in metrics.CommitTotals())
        {
            stats.StorageCommits.Add(new Api.StorageCommits
            {
                Store = store,
                Commits = totals.Commits,
                Writes = totals.Writes,
                CommitMsTotal = totals.TotalMs,
                BucketUpperMs = { CommitLatencies.BucketUpperMs },
                BucketCounts = { totals.BucketCounts },
            });
        }

        foreach (var group in statistics.GroupBy(s => s.GrainType))
        {
            stats.Activations[ShortName(group.Key)] = group.Sum(s => s.ActivationCount);
        }

        return stats;
    }

    private static string ShortName(string grainType) => grainType switch
    {
        var t when t.StartsWith("ProfileGrains.Grains.CustomerGrain,", StringComparison.Ordinal) => "customer",
        var t when t.StartsWith("ProfileGrains.Grains.IdentityShardGrain,", StringComparison.Ordinal) => "identity-shard",
        var t when t.StartsWith("ProfileGrains.Grains.SegmentGrain,", StringComparison.Ordinal) => "segment",
        _ => grainType,
    };
}
