using Grpc.Core;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>The load-test floor: the same gRPC stack as every other RPC, and no grain.</summary>
internal sealed class DiagnosticsGrpcService : Api.DiagnosticsService.DiagnosticsServiceBase
{
    private const int MaxEchoBytes = 64 * 1024;

    public override Task<Api.EchoResponse> Echo(Api.EchoRequest request, ServerCallContext context)
    {
        if (request.Payload.Length > MaxEchoBytes)
        {
            throw GrpcErrors.InvalidArgument("payload", $"must be at most {MaxEchoBytes} bytes");
        }

        return Task.FromResult(new Api.EchoResponse { Payload = request.Payload });
    }
}
