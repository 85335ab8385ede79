using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Orleans.Dashboard;
using ProfileGrains.Grains;
using ProfileGrains.Storage;

namespace ProfileGrains.Host;

/// <summary>The silo: its clustering and storage (memory or PostgreSQL) and the ProfileGrains grains and services.</summary>
public static class EngineHostingExtensions
{
    public static WebApplicationBuilder AddProfileGrainsEngine(this WebApplicationBuilder builder, ProfileGrainsOptions options)
    {
        PostgresStorageOptions? postgres = null;
        if (options.IsDurable)
        {
            postgres = builder.Configuration.GetSection(PostgresStorageOptions.SectionName).Get<PostgresStorageOptions>() ?? new PostgresStorageOptions();
            postgres.Validate();
            builder.Services.AddPostgresSchemaInitializer(postgres);
        }

        EnsurePortsAreFree(options);
        builder.UseOrleans(silo =>
        {
            if (!string.IsNullOrEmpty(builder.Configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.OtlpEndpoint)}"]))
            {
                // Grain calls carry the trace of the request that made them, so a trace runs from the gateway to PostgreSQL.
                silo.AddActivityPropagation();
            }

            if (options.Dashboard)
            {
                silo.AddDashboard();
            }

            if (postgres is not null)
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
                // Listen where configured (127.0.0.1 by default), never on every interface behind the operator's back;
                // advertise the address other silos and clients reach.
                var listen = IPAddress.Parse(options.ListenAddress);
                silo.Configure<EndpointOptions>(endpoints =>
                {
                    endpoints.AdvertisedIPAddress = AdvertisedAddress(options);
                    endpoints.SiloPort = options.SiloPort;
                    endpoints.GatewayPort = options.GatewayPort;
                    endpoints.SiloListeningEndpoint = new IPEndPoint(listen, options.SiloPort);
                    endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, options.GatewayPort);
                });
                silo.AddProfileGrainsPostgres(postgres);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddProfileGrainsMemoryStorage();
            }
        });

        // Failure detection and call timeouts are Orleans' own options; tests and small clusters shorten them.
        builder.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:ClusterMembership"));
        builder.Services.Configure<SiloMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"));
        builder.Services.AddProfileGrains(builder.Configuration);
        return builder;
    }

    private static IPAddress AdvertisedAddress(ProfileGrainsOptions options)
    {
        var advertised = string.IsNullOrWhiteSpace(options.AdvertisedAddress) ? options.ListenAddress : options.AdvertisedAddress;
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

    /// <summary>Two silos on the same ports do not fail: they quietly form two clusters. Refuse to start instead.</summary>
    private static void EnsurePortsAreFree(ProfileGrainsOptions options)
    {
        foreach (var (name, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort) })
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
