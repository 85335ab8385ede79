using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using ProfileGrains.Domain;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>Erased customer ids in <c>profilegrains_erased_customers</c>, as keyed hashes: the table names nobody.</summary>
public sealed class PostgresErasureRegistry(PostgresDataSource dataSource, IdentityKeyHasher hasher, IOptions<ClusterOptions> cluster) : IErasureRegistry
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task RecordAsync(IReadOnlyList<string> customerIds)
    {
        await using var command = dataSource.Source.CreateCommand("""
            INSERT INTO profilegrains_erased_customers (service_id, key)
            SELECT $1, key FROM unnest($2::bytea[]) AS k(key)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. customerIds.Select(id => hasher.KeyOfErasedCustomer(id).ToBytes())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> WasErasedAsync(string customerId)
    {
        await using var command = dataSource.Source.CreateCommand("SELECT EXISTS (SELECT 1 FROM profilegrains_erased_customers WHERE service_id = $1 AND key = $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hasher.KeyOfErasedCustomer(customerId).ToBytes() });
        return (bool)(await command.ExecuteScalarAsync() ?? false);
    }
}
