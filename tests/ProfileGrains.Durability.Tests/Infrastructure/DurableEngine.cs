
namespace ProfileGrains.Durability.Tests.Infrastructure;

/// <summary>
/// A real host in durable mode on the given database. Hosts sharing a <paramref name="serviceId"/> share data; a host
/// started again with the same ids is the "same engine after a restart".
/// </summary>
public sealed class DurableEngine(string connectionString, string serviceId, string clusterId, params string[] more) : EngineHost
{
    protected override IEnumerable<string> ExtraArguments =>
    [
        "--ProfileGrains:Storage=postgres",
        $"--ProfileGrains:Postgres:ConnectionString={connectionString}",
        $"--ProfileGrains:ServiceId={serviceId}",
        $"--ProfileGrains:ClusterId={clusterId}",
        .. more,
    ];

    public static async Task<DurableEngine> StartAsync(string connectionString, string serviceId, params string[] more)
    {
        var engine = new DurableEngine(connectionString, serviceId, serviceId + "-cluster", more);
        await engine.InitializeAsync();
        return engine;
    }
}
