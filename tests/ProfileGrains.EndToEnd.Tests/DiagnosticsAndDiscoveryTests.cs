using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class DiagnosticsAndDiscoveryTests(EngineFixture engine)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024)]
    [InlineData(64 * 1024)]
    public async Task Echo_returns_the_payload(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);

        var response = await engine.Diagnostics.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(bytes) });

        Assert.Equal(bytes, response.Payload.ToByteArray());
    }

    [Theory]
    [InlineData(64 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    public async Task An_oversized_echo_is_rejected(int size)
    {
        await RpcAssert.InvalidArgumentOnlyOn(
            () => engine.Diagnostics.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[size]) }).ResponseAsync,
            "payload");
    }

    [Fact]
    public async Task Health_check_reports_serving_overall_and_for_readiness_and_liveness_probes()
    {
        var health = new Health.HealthClient(engine.Channel);

        foreach (var service in new[] { string.Empty, "readiness", "liveness" })
        {
            var status = await health.CheckAsync(new HealthCheckRequest { Service = service });
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status.Status);
        }

        var unknown = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no-such-service" }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Reflection_lists_the_engine_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(engine.Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("profilegrains.v1.ProfileService", services);
        Assert.Contains("profilegrains.v1.SegmentService", services);
        Assert.Contains("profilegrains.v1.DiagnosticsService", services);
        Assert.Contains("grpc.health.v1.Health", services);

        // The service's descriptor can be fetched too, so tools like grpcurl can call it.
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "profilegrains.v1.ProfileService" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse;
        Assert.NotNull(files);
        Assert.NotEmpty(files.FileDescriptorProto);
        await call.RequestStream.CompleteAsync();
    }
}
