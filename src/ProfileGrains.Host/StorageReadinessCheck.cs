using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProfileGrains.Storage;

namespace ProfileGrains.Host;

/// <summary>
/// Readiness in postgres mode: durable storage answers. While PostgreSQL is unreachable every change fails, so a load
/// balancer should send traffic to another node; liveness does not depend on it, since restarting would not help.
/// </summary>
internal sealed class StorageReadinessCheck(PostgresDataSource storage) : IHealthCheck
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await using var command = storage.Source.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(deadline.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("durable storage does not answer", e);
        }
    }
}
