using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using ProfileGrains.Domain;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// Erasure requests in <c>profilegrains_erasures</c>: the pending columns hold what an interrupted erasure still has to
/// remove and are emptied when it completes, leaving an audit row that names nobody.
/// </summary>
public sealed class PostgresErasureLedger(PostgresDataSource dataSource, IOptions<ClusterOptions> cluster) : IErasureLedger
{
    private const string Columns = "request_id, requester, requested_at, completed_at, records, identifiers, pending_customer_id, pending_records, pending_keys";

    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<ErasureAudit?> FindAsync(string requestId) =>
        (await QueryAsync($"SELECT {Columns} FROM profilegrains_erasures WHERE service_id = $1 AND request_id = $2", requestId, null, 1)).Select(r => r.Audit).FirstOrDefault();

    public async Task<ErasureIntent?> FindPendingAsync(string requestId) =>
        (await QueryAsync($"SELECT {Columns} FROM profilegrains_erasures WHERE service_id = $1 AND request_id = $2 AND completed_at IS NULL", requestId, null, 1)).Select(r => r.Intent).FirstOrDefault();

    public Task<IReadOnlyList<ErasureIntent>> PendingAsync(DateTimeOffset startedBefore, int max) => PendingCoreAsync(startedBefore, max);

    public async Task BeginAsync(ErasureIntent intent)
    {
        await using var command = dataSource.Source.CreateCommand("""
            INSERT INTO profilegrains_erasures (service_id, request_id, requester, requested_at, pending_customer_id, pending_records, pending_keys)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = intent.RequestId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = intent.Requester });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = intent.RequestedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = intent.CustomerId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. intent.Records], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. intent.IdentityKeys.Select(k => k.ToBytes())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync();
    }

    public async Task CompleteAsync(string requestId, int records, int identifiers, DateTimeOffset completedAt)
    {
        await using var command = dataSource.Source.CreateCommand("""
            UPDATE profilegrains_erasures
            SET completed_at = $3, records = $4, identifiers = $5, pending_customer_id = NULL, pending_records = NULL, pending_keys = NULL
            WHERE service_id = $1 AND request_id = $2 AND completed_at IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = completedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = records });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = identifiers });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<ErasureIntent>> PendingCoreAsync(DateTimeOffset startedBefore, int max) =>
        [.. (await QueryAsync($"SELECT {Columns} FROM profilegrains_erasures WHERE service_id = $1 AND completed_at IS NULL AND requested_at < $2 ORDER BY requested_at LIMIT $3", null, startedBefore, max))
            .Select(r => r.Intent!)];

    private async Task<List<(ErasureAudit Audit, ErasureIntent? Intent)>> QueryAsync(string sql, string? requestId, DateTimeOffset? before, int max)
    {
        await using var command = dataSource.Source.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        if (requestId is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = before!.Value.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(ErasureAudit, ErasureIntent?)>();
        while (await reader.ReadAsync())
        {
            var audit = new ErasureAudit(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt32(4),
                reader.GetInt32(5));
            var intent = reader.IsDBNull(6) ? null : new ErasureIntent(
                audit.RequestId,
                audit.Requester,
                reader.GetString(6),
                reader.GetFieldValue<string[]>(7),
                [.. reader.GetFieldValue<byte[][]>(8).Select(bytes => IdentityKey.FromBytes(bytes))],
                audit.RequestedAt);
            rows.Add((audit, intent));
        }

        return rows;
    }
}
