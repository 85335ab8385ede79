using System.Threading.RateLimiting;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ProfileGrains.Host.Security;

/// <summary>
/// Per-key quotas with ASP.NET Core's rate limiting: calls per second (a token bucket per key), WatchSegment streams
/// per key, and streams over all keys. Over a limit the call gets RESOURCE_EXHAUSTED with a google.rpc.RetryInfo delay
/// before it reaches any RPC. Open development mode has no limits.
/// </summary>
public static class RateLimits
{
    private const string WatchPath = "/profilegrains.v1.SegmentService/WatchSegment";
    private static readonly TimeSpan Refill = TimeSpan.FromMilliseconds(100);

    public static IServiceCollection AddProfileGrainsRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = Reject;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(CallsPerKey(), StreamsPerKey(), StreamsOverall());
        });

    private static PartitionedRateLimiter<HttpContext> CallsPerKey() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        var key = KeyOf(context);
        return key is not { RatePerSecond: > 0 } entry
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetTokenBucketLimiter(Partition(entry, entry.RatePerSecond), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = entry.RatePerSecond,
                TokensPerPeriod = Math.Max(1, entry.RatePerSecond / 10),
                ReplenishmentPeriod = Refill,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    });

    private static PartitionedRateLimiter<HttpContext> StreamsPerKey() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
        context.Request.Path != WatchPath || KeyOf(context) is not { } entry
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetConcurrencyLimiter(Partition(entry, entry.MaxStreams), _ => new ConcurrencyLimiterOptions { PermitLimit = entry.MaxStreams, QueueLimit = 0 }));

    private static PartitionedRateLimiter<HttpContext> StreamsOverall() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        if (context.Request.Path != WatchPath || KeyOf(context) is null)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var max = context.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.MaxStreams;
        return RateLimitPartition.GetConcurrencyLimiter($"all/{max}", _ => new ConcurrencyLimiterOptions { PermitLimit = Math.Max(1, max), QueueLimit = 0 });
    });

    /// <summary>The configured key that authenticated this call; null in open mode or before authentication succeeded.</summary>
    private static ApiKeyRing.Entry? KeyOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? context.RequestServices.GetRequiredService<ApiKeyRing>().Find(name) : null;

    // A changed limit gets a fresh limiter (partitions are keyed by it) instead of keeping the old one.
    private static string Partition(ApiKeyRing.Entry entry, int limit) => $"{entry.Principal.Identity!.Name}/{limit}";

    /// <summary>A trailers-only gRPC response: RESOURCE_EXHAUSTED, what was exceeded, and when to retry.</summary>
    private static ValueTask Reject(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var delay = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var message = rejected.HttpContext.Request.Path == WatchPath
            ? "too many WatchSegment streams are open: close one or retry later"
            : "this API key is over its calls per second: retry after the delay";
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = message,
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }) },
        };
        var response = rejected.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)Code.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        return ValueTask.CompletedTask;
    }
}
