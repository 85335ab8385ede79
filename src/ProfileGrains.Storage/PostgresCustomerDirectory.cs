using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// Postgres mode: the journal registers every customer in <c>profilegrains_customers</c> in the same statement as its
/// first change, so registering here is nothing and listing is a keyset-paged query.
/// </summary>
public sealed class PostgresCustomerDirectory(PostgresDataSource dataSource, IOptions<ClusterOptions> cluster) : ICustomerDirectory
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public ValueTask Register(string customerId) => ValueTask.CompletedTask;

    public async Task Remove(string customerId)
    {
        await using var command = dataSource.Source.CreateCommand("DELETE FROM profilegrains_customers WHERE service_id = $1 AND customer_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> ListAsync(string? afterCustomerId, int max)
    {
        await using var command = dataSource.Source.CreateCommand("""
            SELECT customer_id FROM profilegrains_customers
            WHERE service_id = $1 AND customer_id > $2
            ORDER BY customer_id COLLATE "C"
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = afterCustomerId ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>(max);
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<string>> SampleAsync(double fraction, int max)
    {
        // BERNOULLI draws each row independently (SYSTEM would draw whole pages: customers created together); REPEATABLE
        // and the order by digest draw the same rows on every call while they stay in place, so repeated overviews meet
        // the same customers instead of loading new ones each time.
        await using var command = dataSource.Source.CreateCommand("""
            SELECT customer_id FROM profilegrains_customers TABLESAMPLE BERNOULLI ($2) REPEATABLE (1574)
            WHERE service_id = $1
            ORDER BY md5(customer_id)
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<float> { TypedValue = (float)Math.Clamp(fraction * 100, 0, 100) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>(max);
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<long> CountAsync()
    {
        await using var command = dataSource.Source.CreateCommand("SELECT count(*) FROM profilegrains_customers WHERE service_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}
