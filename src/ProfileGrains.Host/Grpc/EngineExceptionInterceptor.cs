using System.Data.Common;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Storage;
using ProfileGrains.Abstractions;
using ProfileGrains.Grains;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// Turns engine failures into gRPC statuses a client can act on, instead of a bare INTERNAL. A call refused for the
/// caller's own mistake is logged once, at debug, by status and field paths: never the detail text, which may quote
/// what the caller sent, and never a stack trace.
/// </summary>
internal sealed class EngineExceptionInterceptor(ILogger<EngineExceptionInterceptor> logger, EngineMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (LogRefusal(e, context))
        {
            throw;
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (RpcException e) when (LogRefusal(e, context))
        {
            throw;
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e) when (LogRefusal(e, context))
        {
            throw;
        }
        catch (Exception e) when (Translate(e, context) is { } status)
        {
            throw status;
        }
    }

    /// <summary>
    /// Logs a refusal without unwinding (always false: the exception goes on as it is), and counts malformed input by
    /// the API key that sent it: a client sending bad data shows up as its own series.
    /// </summary>
    private bool LogRefusal(RpcException e, ServerCallContext context)
    {
        if (e.StatusCode == StatusCode.InvalidArgument)
        {
            metrics.CountRejectedInput(context.GetHttpContext().User.Identity?.Name ?? "open", context.Method);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            var fields = e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => LogText.Escape(v.Field)).Take(10) ?? [];
            logger.LogDebug("{Method} refused: {Status} [{Fields}]", context.Method, e.StatusCode, string.Join(", ", fields));
        }

        return false;
    }

    /// <summary>The status a client can act on; null for what needs no translation (already a status, or a cancellation).</summary>
    private RpcException? Translate(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case RpcException or OperationCanceledException:
                return null;
            case CustomerErasedException:
                return GrpcErrors.NotFound("no such customer");
            case IdentifiersErasedException erased:
                return GrpcErrors.FailedPrecondition("identifiers", erased.Message);
            case TimeoutException or SiloUnavailableException or OrleansMessageRejectionException:
                logger.LogWarning(e, "{Method} failed: engine unavailable", context.Method);
                return GrpcErrors.Unavailable("the engine is temporarily unavailable; retry with the same ids");
            case not null when IsStorageFault(e):
                // Durable storage refused or could not be reached: nothing was acknowledged, so a retry is safe.
                logger.LogWarning(e, "{Method} failed: durable storage unavailable", context.Method);
                return GrpcErrors.Unavailable("durable storage is temporarily unavailable; the change was not applied, retry with the same ids");
            default:
                logger.LogError(e, "{Method} failed", context.Method);
                return new RpcException(new Status(StatusCode.Internal, "internal error"));
        }
    }

    private static bool IsStorageFault(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StorageUnavailableException or DbException or InconsistentStateException or System.Net.Sockets.SocketException)
            {
                return true;
            }

            // A storage exception raised in another silo arrives as a stand-in when its type has no Orleans codec.
            if (e is Orleans.Serialization.UnavailableExceptionFallbackException fallback
                && (fallback.ExceptionType?.Contains("Npgsql", StringComparison.Ordinal) == true
                    || fallback.ExceptionType?.Contains("SocketException", StringComparison.Ordinal) == true))
            {
                return true;
            }
        }

        return false;
    }
}
