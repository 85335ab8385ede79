using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// Segment membership in PostgreSQL (<c>profilegrains_segment_members</c>): the rows segment shards are rebuilt from.
/// Rows of changes the journal holds are written by the journal's own statement; this store writes the others (time
/// passing, merges, rule changes) with group commit, and reads rows back for shards.
/// </summary>
public sealed class PostgresSegmentMembershipStore : ISegmentMembershipStore, IAsyncDisposable
{
    /// <summary>
    /// Inserts or moves each row to a newer version, never back to an older one. Expects the rows as $2–$7 in the order
    /// of <see cref="MembershipRowsBatch.UpsertColumns"/>, and the statement to provide them as <c>r</c>.
    /// </summary>
    internal const string UpsertRows = """
        INSERT INTO profilegrains_segment_members AS m (service_id, segment_id, shard, customer_id, version, is_member)
        SELECT $1, r.segment_id, r.shard, r.customer_id, r.version, r.is_member FROM r
        ON CONFLICT (service_id, segment_id, shard, customer_id)
        DO UPDATE SET version = excluded.version, is_member = excluded.is_member, written_at = clock_timestamp()
        WHERE m.version < excluded.version
        """;

    internal const string RowsParameter =
        "unnest($2::varchar[], $3::varchar[], $4::int[], $5::bigint[], $6::bool[], $7::bigint[]) AS r(" + MembershipRowsBatch.UpsertColumns + ")";

    private const string WriteSql = "WITH r AS (SELECT * FROM " + RowsParameter + ")\n" + UpsertRows;

    private const string MembersSql = """
        SELECT customer_id, version, is_member FROM profilegrains_segment_members
        WHERE service_id = $1 AND segment_id = $2 AND shard = $3 AND is_member
        """;

    private const string ChangedSql = """
        SELECT customer_id, version, is_member FROM profilegrains_segment_members
        WHERE service_id = $1 AND segment_id = $2 AND shard = $3 AND written_at > $4
        """;

    private const string DeleteSql = "DELETE FROM profilegrains_segment_members WHERE service_id = $1 AND segment_id = $2";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly GroupCommit<PendingWrite> _writes;

    public PostgresSegmentMembershipStore(
        PostgresDataSource dataSource,
        IOptions<ClusterOptions> cluster,
        IOptions<PostgresStorageOptions> options,
        ILogger<PostgresSegmentMembershipStore> logger,
        EngineMetrics? metrics = null)
    {
        _dataSource = dataSource.Source;
        _serviceId = cluster.Value.ServiceId;
        var o = options.Value;
        _writes = new GroupCommit<PendingWrite>("segment membership", o.MembershipWriters, o.JournalMaxBatch, o.JournalQueueCapacity, WriteBatchAsync, logger, metrics);
    }

    public bool IsDurable => true;

    public ValueTask WriteAsync(string customerId, MembershipWrite write) =>
        write.IsEmpty ? ValueTask.CompletedTask : _writes.WriteAsync(new PendingWrite(customerId, write));

    public async Task<MemberRows> ReadAsync(string segmentId, int shard, DateTimeOffset? changedSince, CancellationToken cancellationToken)
    {
        // The store's clock, read before the rows: a row committed while they are read is read again next time.
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT clock_timestamp()"));
        var rows = new NpgsqlBatchCommand(changedSince is null ? MembersSql : ChangedSql);
        rows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        rows.Parameters.Add(new NpgsqlParameter<string> { TypedValue = segmentId });
        rows.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        if (changedSince is { } since)
        {
            rows.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime });
        }

        batch.BatchCommands.Add(rows);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var readAt = reader.GetFieldValue<DateTimeOffset>(0);
        await reader.NextResultAsync(cancellationToken);
        var result = new List<MemberRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new MemberRow(reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2)));
        }

        return new MemberRows(result, readAt);
    }

    public async Task DeleteSegmentAsync(string segmentId)
    {
        await using var command = _dataSource.CreateCommand(DeleteSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = segmentId });
        await command.ExecuteNonQueryAsync();
    }

    public async Task EraseCustomerAsync(string customerId, int shard, IReadOnlyList<string> segmentIds)
    {
        // By primary key, one per segment: no index on customer_id slows every membership write for a rare erasure.
        await using var command = _dataSource.CreateCommand("""
            DELETE FROM profilegrains_segment_members
            WHERE service_id = $1 AND segment_id = ANY($2) AND shard = $3 AND customer_id = $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. segmentIds] });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    private async Task<bool[]> WriteBatchAsync(IReadOnlyList<PendingWrite> batch)
    {
        var rows = new MembershipRowsBatch();
        foreach (var pending in batch)
        {
            rows.Add(pending.CustomerId, pending.Write);
        }

        await using var command = _dataSource.CreateCommand(WriteSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        rows.AddParameters(command);
        await command.ExecuteNonQueryAsync();
        return [.. batch.Select(_ => true)];
    }

    private sealed record PendingWrite(string CustomerId, MembershipWrite Write);
}
