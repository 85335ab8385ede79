using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Orleans.Configuration;
using ProfileGrains.Host.Grpc;
using ProfileGrains.Storage;

namespace ProfileGrains.Host;

public static class ProfileGrainsHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Configuration sits beside the binary, wherever the engine is started from (a service manager, a script).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var settings = builder.Configuration.GetSection(ProfileEngineOptions.SectionName).Get<HostSettings>() ?? new HostSettings();
        var durable = settings.Storage.ToLowerInvariant() switch
        {
            "memory" => false,
            "postgres" => true,
            _ => throw new InvalidOperationException($"ProfileGrains:Storage '{settings.Storage}' is not supported; use 'memory' or 'postgres'."),
        };
        var postgres = builder.Configuration.GetSection(PostgresStorageOptions.SectionName).Get<PostgresStorageOptions>() ?? new PostgresStorageOptions();
        if (durable)
        {
            postgres.Validate();
            builder.Services.AddPostgresSchemaInitializer(postgres);
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
            if (durable)
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
                silo.ConfigureEndpoints(AdvertisedAddress(settings), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
                silo.AddProfileGrainsPostgres(postgres);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                silo.AddProfileGrainsMemoryStorage();
            }
        });
        // Failure detection and call timeouts are Orleans' own options; tests and small clusters shorten them.
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
        builder.Services.Configure<SiloMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"));

        builder.Services.Configure<ProfileEngineOptions>(builder.Configuration.GetSection(ProfileEngineOptions.SectionName));
        builder.Services.Configure<IdentityProtectionOptions>(builder.Configuration.GetSection(IdentityProtectionOptions.SectionName));
        builder.Services.Configure<ContactPolicyOptions>(builder.Configuration.GetSection(ProfileEngineOptions.SectionName + ":" + ContactPolicyOptions.SectionName));
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
            if (durable)
            {
                log.LogInformation("Storage mode 'postgres': acknowledged changes are journaled in PostgreSQL before OK; cluster {ClusterId}", settings.ClusterId);
            }
            else
            {
                log.LogWarning("Storage mode 'memory': all profiles, identities and segments live in this process and are lost when it stops");
            }
        });

        return app;
    }

    private static IPAddress AdvertisedAddress(HostSettings settings)
    {
        var advertised = string.IsNullOrWhiteSpace(settings.AdvertisedAddress) ? settings.ListenAddress : settings.AdvertisedAddress;
        if (IPAddress.TryParse(advertised, out var address))
        {
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                throw new InvalidOperationException(
                    "ProfileGrains:AdvertisedAddress must be an address other silos can reach; set it when ListenAddress is 0.0.0.0.");
            }

            return address;
        }

        return Dns.GetHostAddresses(advertised).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"ProfileGrains:AdvertisedAddress '{advertised}' does not resolve to an IPv4 address.");
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
