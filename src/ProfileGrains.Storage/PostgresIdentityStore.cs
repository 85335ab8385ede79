using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization;
using ProfileGrains.Domain;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// The identity map in PostgreSQL (<c>profilegrains_identities</c>), one row per identifier key. Changes of every
/// shard of this silo share commits (<see cref="GroupCommit{T}"/>), so creating customers costs a fraction of a round
/// trip per identifier. A first claim never overwrites a row: if another activation of the shard stored one first, the
/// claim is refused and the shard reloads.
/// </summary>
public sealed class PostgresIdentityStore : IIdentityStore, IAsyncDisposable
{
    private const string LoadSql = """
        SELECT key, customer_id, linked_at, detail FROM profilegrains_identities
        WHERE service_id = $1 AND shard = $2
        """;

    // First claims insert or do nothing; re-points and guard changes overwrite. Returns the positions written.
    private const string WriteSql = """
        WITH r AS (
            SELECT * FROM unnest($2::int[], $3::bytea[], $4::varchar[], $5::timestamptz[], $6::bytea[])
                WITH ORDINALITY AS r(shard, key, customer_id, linked_at, detail, position)),
        claimed AS (
            INSERT INTO profilegrains_identities (service_id, shard, key, customer_id, linked_at, detail)
            SELECT $1, shard, key, customer_id, linked_at, detail FROM r WHERE detail IS NULL
            ON CONFLICT DO NOTHING
            RETURNING key),
        changed AS (
            INSERT INTO profilegrains_identities (service_id, shard, key, customer_id, linked_at, detail)
            SELECT $1, shard, key, customer_id, linked_at, detail FROM r WHERE detail IS NOT NULL
            ON CONFLICT (service_id, shard, key)
            DO UPDATE SET customer_id = excluded.customer_id, linked_at = excluded.linked_at, detail = excluded.detail
            RETURNING key)
        SELECT r.position::int FROM r
        WHERE r.key IN (SELECT key FROM claimed) OR r.key IN (SELECT key FROM changed)
        """;

    private const string DeleteSql = "DELETE FROM profilegrains_identities WHERE service_id = $1 AND shard = $2 AND key = ANY($3)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Serializer<IdentityDetail> _serializer;
    private readonly string _serviceId;
    private readonly GroupCommit<PendingRow> _writes;

    public PostgresIdentityStore(
        PostgresDataSource dataSource,
        Serializer<IdentityDetail> serializer,
        IOptions<ClusterOptions> cluster,
        IOptions<PostgresStorageOptions> options,
        ILogger<PostgresIdentityStore> logger,
        EngineMetrics? metrics = null)
    {
        _dataSource = dataSource.Source;
        _serializer = serializer;
        _serviceId = cluster.Value.ServiceId;
        var o = options.Value;
        _writes = new GroupCommit<PendingRow>("identity", o.IdentityWriters, o.JournalMaxBatch, o.JournalQueueCapacity, WriteBatchAsync, logger, metrics);
    }

    public async Task<IReadOnlyList<IdentityRow>> LoadShardAsync(int shard, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<IdentityRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var detail = reader.IsDBNull(3) ? null : _serializer.Deserialize((byte[])reader.GetValue(3));
            rows.Add(new IdentityRow(
                IdentityKey.FromBytes((byte[])reader.GetValue(0)),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                detail));
        }

        return rows;
    }

    // Serialized now, on the grain's turn: the detail may change again once the grain moves on.
    public ValueTask WriteAsync(int shard, IdentityRow row) =>
        _writes.WriteAsync(new PendingRow(shard, row.Key, row.CustomerId, row.LinkedAt, row.Detail is null ? null : _serializer.SerializeToArray(row.Detail)));

    public async Task DeleteAsync(int shard, IReadOnlyList<IdentityKey> keys)
    {
        await using var command = _dataSource.CreateCommand(DeleteSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. keys.Select(k => k.ToBytes())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    private async Task<bool[]> WriteBatchAsync(IReadOnlyList<PendingRow> batch)
    {
        // One statement cannot write a row twice; only two activations of one shard could ask that, and the later wins.
        var last = new Dictionary<IdentityKey, int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            last[batch[i].Key] = i;
        }

        if (last.Count == batch.Count)
        {
            return await WriteUniqueAsync([.. batch]);
        }

        PendingRow[] unique = [.. last.Values.Order().Select(i => batch[i])];
        var written = await WriteUniqueAsync(unique);
        var writtenByKey = unique.Select((row, j) => (row.Key, Written: written[j])).ToDictionary(x => x.Key, x => x.Written);
        return [.. batch.Select(row => writtenByKey[row.Key])];
    }

    private async Task<bool[]> WriteUniqueAsync(PendingRow[] rows)
    {
        await using var command = _dataSource.CreateCommand(WriteSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. rows.Select(r => r.Shard)] });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. rows.Select(r => r.Key.ToBytes())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. rows.Select(r => r.CustomerId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. rows.Select(r => r.LinkedAt.UtcDateTime)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = [.. rows.Select(r => r.Detail)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return await PostgresBatch.WrittenPositionsAsync(command, rows.Length);
    }

    private sealed record PendingRow(int Shard, IdentityKey Key, string CustomerId, DateTimeOffset LinkedAt, byte[]? Detail);
}
