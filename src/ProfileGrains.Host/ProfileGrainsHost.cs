using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using ProfileGrains.Host.Grpc;

namespace ProfileGrains.Host;

public static class ProfileGrainsHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Configuration sits beside the binary, wherever the engine is started from (a service manager, a script).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var settings = builder.Configuration.GetSection(ProfileEngineOptions.SectionName).Get<HostSettings>() ?? new HostSettings();
        if (!string.Equals(settings.Storage, "memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"ProfileGrains:Storage '{settings.Storage}' is not supported; use 'memory'.");
        }

        EnsurePortsAreFree(settings);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = Limits.MaxReceiveMessageBytes + 1024;
            // gRPC without TLS needs an HTTP/2-only endpoint: clients speak h2c with prior knowledge.
            kestrel.Listen(IPAddress.Parse(settings.ListenAddress), settings.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
        });

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddProfileGrainsMemoryStorage();
        });

        builder.Services.Configure<ProfileEngineOptions>(builder.Configuration.GetSection(ProfileEngineOptions.SectionName));
        builder.Services.Configure<IdentityProtectionOptions>(builder.Configuration.GetSection(IdentityProtectionOptions.SectionName));
        builder.Services.Configure<ScoringOptions>(builder.Configuration.GetSection(ProfileEngineOptions.SectionName + ":" + ScoringOptions.SectionName));
        builder.Services.AddProfileGrains();
        var identifierOptions = builder.Configuration.GetSection(IdentifierNormalizationOptions.SectionName).Get<IdentifierNormalizationOptions>()
            ?? new IdentifierNormalizationOptions();
        identifierOptions.DefaultPhoneRegion = settings.DefaultPhoneRegion;
        builder.Services.AddSingleton(new IdentifierNormalizer(identifierOptions));
        builder.Services.AddSingleton<RequestMapper>();
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = Limits.MaxReceiveMessageBytes;
            options.Interceptors.Add<EngineExceptionInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck("engine", () => HealthCheckResult.Healthy());

        var app = builder.Build();
        app.MapGrpcService<ProfileGrpcService>();
        app.MapGrpcService<SegmentGrpcService>();
        app.MapGrpcService<DiagnosticsGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ProfileGrains");
            log.LogInformation("ProfileGrains gRPC (h2c) listening on {Addresses}; Orleans silo port {SiloPort}, gateway port {GatewayPort}",
                string.Join(", ", app.Urls), settings.SiloPort, settings.GatewayPort);
            log.LogWarning("Storage mode 'memory': all profiles, identities and segments live in this process and are lost when it stops");
        });

        return app;
    }

    /// <summary>
    /// Two silos on the same ports do not fail: they quietly form two clusters. Refuse to start instead.
    /// </summary>
    private static void EnsurePortsAreFree(HostSettings settings)
    {
        foreach (var (name, port) in new[] { ("SiloPort", settings.SiloPort), ("GatewayPort", settings.GatewayPort) })
        {
            try
            {
                var probe = new TcpListener(IPAddress.Loopback, port) { ExclusiveAddressUse = true };
                probe.Start();
                probe.Stop();
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(
                    $"ProfileGrains:{name} {port} is already in use (another silo?). Give every instance its own ports.", e);
            }
        }
    }
}
