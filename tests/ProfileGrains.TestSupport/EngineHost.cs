using Xunit;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProfileGrains.Host;
using ProfileGrains.Protos;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.TestSupport;

/// <summary>
/// One real ProfileGrains host (Orleans silo + gRPC gateway) started in-process, reached over real h2c gRPC.
/// Every instance gets its own silo/gateway ports and cluster id so that concurrently running hosts (other
/// collections, other test projects) never join each other.
/// </summary>
public class EngineHost : IAsyncLifetime, IAsyncDisposable
{
    private const int StartAttempts = 5;
    private WebApplication? _app;
    private GrpcChannel? _channel;

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the host is not started");

    public Uri Address { get; private set; } = null!;

    /// <summary>The web endpoint (HTTP/1.1): gRPC-Web and the metrics.</summary>
    public Uri WebAddress { get; private set; } = null!;

    public ProfileService.ProfileServiceClient Profiles { get; private set; } = null!;

    public SegmentService.SegmentServiceClient Segments { get; private set; } = null!;

    public DiagnosticsService.DiagnosticsServiceClient Diagnostics { get; private set; } = null!;

    public CampaignService.CampaignServiceClient Campaigns { get; private set; } = null!;

    public InsightService.InsightServiceClient Insights { get; private set; } = null!;

    /// <summary>Services of the running host, for tests that look inside (grain factory, options).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the host is not started");

    /// <summary>Configuration given after the defaults, so it overrides them (storage mode, ids, timings).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    /// <summary>Changes to the host before it is built (logging providers).</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder)
    {
    }

    /// <summary>Serve gRPC over TLS with a self-signed certificate (<see cref="TestCertificate"/>) instead of h2c.</summary>
    protected virtual bool UsesTls => false;

    public async Task InitializeAsync()
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // Pick both ports while both probes are open, so silo and gateway never get the same port.
            var (siloPort, gatewayPort, webPort) = ThreeFreePorts();
            WebApplication? app = null;
            try
            {
                app = ProfileGrainsHost.Build(
                [
                    "--ProfileGrains:GrpcPort=0",
                    $"--ProfileGrains:WebPort={webPort}",
                    "--ProfileGrains:ListenAddress=127.0.0.1",
                    $"--ProfileGrains:SiloPort={siloPort}",
                    $"--ProfileGrains:GatewayPort={gatewayPort}",
                    $"--ProfileGrains:ClusterId=e2e-{Guid.NewGuid():N}",
                    $"--ProfileGrains:ServiceId=e2e-{Guid.NewGuid():N}",
                    "--Logging:LogLevel:Default=Warning",
                    "--Logging:LogLevel:Orleans=Warning",
                    "--Logging:LogLevel:Microsoft=Warning",
                    .. UsesTls ? TestCertificate.KestrelArguments : [],
                    .. ExtraArguments,
                ],
                ConfigureBuilder);
                await app.StartAsync();
                _app = app;
                WebAddress = new Uri($"{(UsesTls ? "https" : "http")}://127.0.0.1:{webPort}");
                break;
            }
            catch (Exception e) when (attempt < StartAttempts && (e is InvalidOperationException or SocketException or IOException || e.InnerException is SocketException))
            {
                // Another process took one of the ports between the probe and the bind: try new ports.
                last = e;
                if (app is not null)
                {
                    await app.DisposeAsync();
                }
            }
        }

        if (_app is null)
        {
            throw new InvalidOperationException("the host could not be started", last);
        }

        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server exposes no addresses");
        var address = addresses.Select(a => new Uri(a)).Single(a => a.Port != WebAddress.Port);
        Address = new Uri($"{(UsesTls ? "https" : "http")}://127.0.0.1:{address.Port}");
        var credentials = new EngineCredentials { TrustedCertificate = UsesTls ? TestCertificate.Public : null };
        _channel = credentials.OpenChannel(Address, new GrpcChannelOptions
        {
            // Let the client send oversized messages so that the server's own limit is what gets tested.
            MaxSendMessageSize = null,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        Profiles = new ProfileService.ProfileServiceClient(_channel);
        Segments = new SegmentService.SegmentServiceClient(_channel);
        Diagnostics = new DiagnosticsService.DiagnosticsServiceClient(_channel);
        Campaigns = new CampaignService.CampaignServiceClient(_channel);
        Insights = new InsightService.InsightServiceClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static (int Silo, int Gateway, int Web) ThreeFreePorts()
    {
        var probes = new[] { new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0) };
        foreach (var probe in probes)
        {
            probe.Start();
        }

        try
        {
            return (((IPEndPoint)probes[0].LocalEndpoint).Port, ((IPEndPoint)probes[1].LocalEndpoint).Port, ((IPEndPoint)probes[2].LocalEndpoint).Port);
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Stop();
            }
        }
    }
}
