namespace ProfileGrains.Host;

/// <summary>Where the engine listens and keeps its state. Section "ProfileGrains"; see the README's configuration table.</summary>
public sealed class HostSettings
{
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>gRPC over HTTP/2 without TLS (h2c). 0 picks a free port.</summary>
    public int GrpcPort { get; set; } = 5080;

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "profilegrains-dev";

    public string ServiceId { get; set; } = "profilegrains";

    /// <summary>
    /// "memory" (default): everything lives in this process and is lost when it stops; one silo.
    /// "postgres": durable state, journal, reminders and cluster membership in PostgreSQL (section ProfileGrains:Postgres);
    /// any number of silos sharing the database form one cluster.
    /// </summary>
    public string Storage { get; set; } = "memory";

    /// <summary>
    /// The address other silos reach this one at (postgres mode): an IP or a host name resolved at start-up
    /// (a container name in docker-compose). Defaults to ListenAddress.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    public string DefaultPhoneRegion { get; set; } = "FR";
}
