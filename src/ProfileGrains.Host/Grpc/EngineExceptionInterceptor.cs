using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Runtime;

namespace ProfileGrains.Host.Grpc;

/// <summary>Turns engine failures into gRPC statuses a client can act on, instead of a bare INTERNAL.</summary>
internal sealed class EngineExceptionInterceptor(ILogger<EngineExceptionInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            logger.LogWarning(e, "{Method} failed: engine unavailable", context.Method);
            throw new RpcException(new Status(StatusCode.Unavailable, "the engine is temporarily unavailable; retry with the same ids"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "{Method} failed", context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "internal error"));
        }
    }
}
