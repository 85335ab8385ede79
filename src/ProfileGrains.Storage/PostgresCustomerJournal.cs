using System.Collections.Concurrent;
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
/// The customer journal in PostgreSQL, with group commit: appends from every customer grain of this silo queue up, and
/// a few writers each take whatever is waiting and insert it with one statement and one commit. Under load a commit
/// carries hundreds of changes, so durability costs a fraction of a round trip per change instead of a whole-state
/// write per call. Entries are encoded with the Orleans serializer, which follows [Id]/[Alias], not CLR type names.
/// </summary>
public sealed class PostgresCustomerJournal : ICustomerJournal, IAsyncDisposable
{
    // One statement, one commit: the entries, the directory row of every customer whose history starts here, and the
    // segment memberships the entries moved (only those of entries written). Returns the positions of the entries
    // written; a missing position is a sequence another activation already took. A first entry is written only with the
    // customer's directory row: for a customer registered already, it comes from an activation that took it for new
    // (NewCustomer) and must reload instead.
    private const string InsertSql = """
        WITH entry AS (
            SELECT * FROM unnest($2::varchar[], $3::bigint[], $4::bytea[]) WITH ORDINALITY AS e(customer_id, seq, payload, position)),
        registered AS (
            INSERT INTO profilegrains_customers (service_id, customer_id)
            SELECT $1, customer_id FROM entry WHERE seq = 1
            ON CONFLICT DO NOTHING
            RETURNING customer_id),
        written AS (
            INSERT INTO profilegrains_journal (service_id, customer_id, seq, payload)
            SELECT $1, customer_id, seq, payload FROM entry
            WHERE seq > 1 OR customer_id IN (SELECT customer_id FROM registered)
            ON CONFLICT DO NOTHING
            RETURNING customer_id, seq),
        r AS (
            SELECT m.customer_id, m.segment_id, m.shard, m.version, m.is_member
            FROM unnest($5::varchar[], $6::varchar[], $7::int[], $8::bigint[], $9::bool[], $10::bigint[])
                AS m(customer_id, segment_id, shard, version, is_member, seq)
            JOIN written USING (customer_id, seq)),
        members AS (
        """ + PostgresSegmentMembershipStore.UpsertRows + """
        )
        SELECT entry.position::int FROM entry JOIN written USING (customer_id, seq)
        """;

    private const string ReadSql = """
        SELECT seq, payload FROM profilegrains_journal
        WHERE service_id = $1 AND customer_id = $2 AND seq > $3
        ORDER BY seq
        """;

    private const string TruncateSql = """
        DELETE FROM profilegrains_journal AS j
        USING unnest($2::varchar[], $3::bigint[]) AS covered(customer_id, seq)
        WHERE j.service_id = $1 AND j.customer_id = covered.customer_id AND j.seq <= covered.seq
        """;

    private static readonly TimeSpan TruncateInterval = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _dataSource;
    private readonly Serializer<CustomerChange> _serializer;
    private readonly ILogger<PostgresCustomerJournal> _logger;
    private readonly string _serviceId;
    private readonly GroupCommit<PendingAppend> _appends;
    private readonly ConcurrentDictionary<string, long> _covered = new(StringComparer.Ordinal);

    // Tails read together with a customer's snapshot (PostgresProfileStorage), each held for the replay that follows in
    // the same activation. An activation that fails in between leaves its tail here until the customer's next read
    // replaces it: every activation that replays reads its snapshot first.
    private readonly ConcurrentDictionary<string, HeldTail> _heldTails = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _truncator;
    private int _disposed;

    public PostgresCustomerJournal(
        PostgresDataSource dataSource,
        Serializer<CustomerChange> serializer,
        IOptions<ClusterOptions> cluster,
        IOptions<PostgresStorageOptions> options,
        ILogger<PostgresCustomerJournal> logger,
        EngineMetrics? metrics = null)
    {
        _dataSource = dataSource.Source;
        _serializer = serializer;
        _logger = logger;
        _serviceId = cluster.Value.ServiceId;
        var o = options.Value;
        _appends = new GroupCommit<PendingAppend>("journal", o.JournalWriters, o.JournalMaxBatch, o.JournalQueueCapacity, WriteBatchAsync, logger, metrics);
        _truncator = Task.Run(TruncateCoveredAsync);
    }

    public bool IsDurable => true;

    public ValueTask AppendAsync(string customerId, long sequence, CustomerChange change, MembershipWrite? membership = null) =>
        _appends.WriteAsync(new PendingAppend(customerId, sequence, _serializer.SerializeToArray(change), membership is { IsEmpty: false } ? membership : null));

    public Task<IReadOnlyList<JournalEntry>> ReadAfterAsync(string customerId, long afterSequence, CancellationToken cancellationToken = default) =>
        _heldTails.TryRemove(customerId, out var held) && held.AfterSequence == afterSequence
            ? Task.FromResult(held.Entries)
            : QueryAfterAsync(customerId, afterSequence, cancellationToken);

    /// <summary>
    /// Keeps the entries of <paramref name="stored"/> (every row stored for the customer, in sequence order, or null for
    /// none) after <paramref name="afterSequence"/>, the snapshot's, for the replay that follows: the ones the snapshot
    /// covers are merely not truncated yet.
    /// </summary>
    internal void HoldTail(string customerId, long afterSequence, IReadOnlyList<(long Sequence, byte[] Payload)>? stored)
    {
        IReadOnlyList<JournalEntry> entries = [];
        if (stored is not null)
        {
            var tail = new List<JournalEntry>(stored.Count);
            foreach (var (sequence, payload) in stored)
            {
                if (sequence > afterSequence)
                {
                    tail.Add(Decode(customerId, sequence, payload));
                }
            }

            entries = tail;
        }

        _heldTails[customerId] = new HeldTail(afterSequence, entries);
    }

    private async Task<IReadOnlyList<JournalEntry>> QueryAfterAsync(string customerId, long afterSequence, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Decode(customerId, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        }

        return entries;
    }

    private JournalEntry Decode(string customerId, long sequence, byte[] payload) =>
        new(sequence, _serializer.Deserialize(payload) ?? throw new InvalidDataException($"journal entry {sequence} of customer {customerId} is empty"));

    public void Truncate(string customerId, long throughSequence) =>
        _covered.AddOrUpdate(customerId, throughSequence, (_, known) => Math.Max(known, throughSequence));

    public async Task EraseAsync(string customerId)
    {
        _covered.TryRemove(customerId, out _);
        await using var command = _dataSource.CreateCommand("DELETE FROM profilegrains_journal WHERE service_id = $1 AND customer_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as ICustomerJournal, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _appends.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _truncator.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// One INSERT for the whole batch. A sequence another activation of the same customer already wrote (a brief
    /// duplicate activation while the cluster changes) is not written: that activation's view is stale, so its change
    /// must not be acknowledged.
    /// </summary>
    private async Task<bool[]> WriteBatchAsync(IReadOnlyList<PendingAppend> batch)
    {
        var customerIds = new string[batch.Count];
        var sequences = new long[batch.Count];
        var payloads = new byte[batch.Count][];
        var membership = new MembershipRowsBatch();
        for (var i = 0; i < batch.Count; i++)
        {
            (customerIds[i], sequences[i], payloads[i]) = (batch[i].CustomerId, batch[i].Sequence, batch[i].Payload);
            if (batch[i].Membership is { } rows)
            {
                membership.Add(batch[i].CustomerId, rows, batch[i].Sequence);
            }
        }

        await using var command = _dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = customerIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sequences });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        membership.AddParameters(command);
        return await PostgresBatch.WrittenPositionsAsync(command, batch.Count);
    }

    private async Task TruncateCoveredAsync()
    {
        using var timer = new PeriodicTimer(TruncateInterval);
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
        {
            if (_covered.IsEmpty)
            {
                continue;
            }

            var customerIds = new List<string>();
            var sequences = new List<long>();
            foreach (var customerId in _covered.Keys)
            {
                if (_covered.TryRemove(customerId, out var sequence))
                {
                    customerIds.Add(customerId);
                    sequences.Add(sequence);
                }
            }

            try
            {
                await using var command = _dataSource.CreateCommand(TruncateSql);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. customerIds], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
                command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. sequences] });
                await command.ExecuteNonQueryAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Harmless: covered entries are skipped on replay; they will be deleted after the next snapshot.
                _logger.LogDebug(e, "Covered journal entries of {Count} customers were not deleted", customerIds.Count);
            }
        }
    }

    private sealed record HeldTail(long AfterSequence, IReadOnlyList<JournalEntry> Entries);

    private sealed record PendingAppend(string CustomerId, long Sequence, byte[] Payload, MembershipWrite? Membership);
}
