using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Grains;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>In postgres mode too, every port the engine opens listens on the configured address only.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BindingTests(SharedPostgres postgres)
{
    [Fact]
    public async Task The_silo_gateway_and_grpc_ports_listen_on_loopback_only_when_so_configured()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var engine = await DurableEngine.StartAsync(database, Unique("binding"));
        var options = engine.Services.GetRequiredService<IOptions<ProfileGrainsOptions>>().Value;
        int[] ports = [options.SiloPort, options.GatewayPort, engine.Address.Port];

        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => ports.Contains(l.Port)).ToList();

        Assert.Equal(ports.Order(), listeners.Select(l => l.Port).Distinct().Order());
        Assert.All(listeners, l => Assert.True(IPAddress.IsLoopback(l.Address), $"port {l.Port} listens on {l.Address}"));
    }
}
