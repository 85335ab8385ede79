using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using ProfileGrains.Domain;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// The customers' grain storage. Snapshots are written and cleared by the Orleans ADO.NET provider, into its own table;
/// customers coming back into memory are read here instead, in one statement: each one's snapshot row (the provider's,
/// found by the provider's own key) and every journal entry stored for it, so an activation costs at most one share of a
/// round trip where the provider's read and the journal's replay read cost two whole ones. Reads waiting at the same
/// time share a statement (<see cref="BatchedReads{TRequest,TResult}"/>). The entries after a snapshot are held for the
/// journal's replay that follows in the same activation (<see cref="PostgresCustomerJournal.HoldTail"/>).
/// A customer being created (<see cref="NewCustomer"/>) is not read at all: it starts empty, with no version, so a row
/// stored under its id after all would make its first snapshot write fail rather than be overwritten.
/// </summary>
internal sealed class PostgresProfileStorage : IGrainStorage, IAsyncDisposable
{
    // Each customer's provider row is found by every column of the provider's unique key, as its own ReadFromStorageKey
    // query does (ProviderRowKey). One statement is one MVCC snapshot: each tail is exactly the journal as of its snapshot.
    private const string ReadSql = """
        WITH wanted AS (
            SELECT * FROM unnest($1::int[], $2::int[], $3::bigint[], $4::bigint[], $5::varchar[], $6::varchar[], $7::varchar[])
                WITH ORDINALITY AS w(id_hash, type_hash, n0, n1, type_name, extension, customer_id, position))
        SELECT w.position, NULL::bigint AS seq, s.version, s.payloadbinary
        FROM wanted w JOIN orleansstorage s
            ON s.grainidhash = w.id_hash AND s.graintypehash = w.type_hash AND s.grainidn0 = w.n0 AND s.grainidn1 = w.n1
            AND s.graintypestring = w.type_name AND s.grainidextensionstring IS NOT DISTINCT FROM w.extension AND s.serviceid = $8
        UNION ALL
        SELECT w.position, j.seq, NULL, j.payload
        FROM wanted w JOIN profilegrains_journal j ON j.service_id = $8 AND j.customer_id = w.customer_id
        ORDER BY 1, 2 NULLS FIRST
        """;

    private const int MaxBatch = 100;

    private readonly AdoNetGrainStorage _provider;
    private readonly string _providerName;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresCustomerJournal _journal;
    private readonly string _serviceId;
    private readonly BatchedReads<ProfileRead, StoredProfile> _reads;

    public PostgresProfileStorage(
        AdoNetGrainStorage provider,
        string providerName,
        PostgresDataSource dataSource,
        PostgresCustomerJournal journal,
        string serviceId,
        int readers,
        ILogger<PostgresProfileStorage> logger)
    {
        _provider = provider;
        _providerName = providerName;
        _dataSource = dataSource.Source;
        _journal = journal;
        _serviceId = serviceId;
        _reads = new BatchedReads<ProfileRead, StoredProfile>("profile", readers, MaxBatch, ReadStoredAsync, logger);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (NewCustomer.IsBeingCreated(grainId))
        {
            return Task.CompletedTask;
        }

        return grainState is IGrainState<CustomerProfile> profile
            ? ReadProfileAsync(stateName, grainId, profile)
            : _provider.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => _provider.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => _provider.ClearStateAsync(stateName, grainId, grainState);

    public ValueTask DisposeAsync() => _reads.DisposeAsync();

    /// <summary>What to read for one customer: the provider's key of its snapshot row, and its id in the journal.</summary>
    internal ProfileRead ReadOf(string stateName, GrainId grainId, IGrainState<CustomerProfile> grainState)
    {
        var hasher = _provider.HashPicker.PickHasher(_serviceId, _providerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException($"grain storage {_providerName} has no key hasher");
        var key = ProviderRowKey.Of(grainId);
        return new ProfileRead(hasher.Hash(key.HashBytes), hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName, key, grainId.Key.ToString()!);
    }

    /// <summary>Reads every customer of <paramref name="reads"/> with one statement: per customer, its snapshot row if any and its journal.</summary>
    internal async Task<StoredProfile[]> ReadStoredAsync(IReadOnlyList<ProfileRead> reads)
    {
        var count = reads.Count;
        var (idHashes, typeHashes, n0s, n1s, typeNames, extensions, customerIds) =
            (new int[count], new int[count], new long[count], new long[count], new string[count], new string?[count], new string[count]);
        for (var i = 0; i < count; i++)
        {
            var read = reads[i];
            (idHashes[i], typeHashes[i], n0s[i], n1s[i]) = (read.IdHash, read.TypeHash, read.Key.N0, read.Key.N1);
            (typeNames[i], extensions[i], customerIds[i]) = (read.TypeName, read.Key.Extension, read.CustomerId);
        }

        await using var command = _dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = idHashes });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = typeHashes });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = n0s });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = n1s });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = typeNames, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = extensions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = customerIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });

        var stored = new StoredProfile[count];
        for (var i = 0; i < count; i++)
        {
            stored[i] = new StoredProfile();
        }

        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var customer = stored[reader.GetInt64(0) - 1];
            if (reader.IsDBNull(1))
            {
                customer.RecordExists = true;
                customer.Version = reader.IsDBNull(2) ? null : reader.GetInt32(2);
                customer.Snapshot = reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3);
            }
            else
            {
                (customer.Journal ??= []).Add((reader.GetInt64(1), reader.GetFieldValue<byte[]>(3)));
            }
        }

        return stored;
    }

    private async Task ReadProfileAsync(string stateName, GrainId grainId, IGrainState<CustomerProfile> grainState)
    {
        var read = ReadOf(stateName, grainId, grainState);
        var stored = await _reads.ReadAsync(read);
        var profile = (stored.Snapshot is { } snapshot ? _provider.Serializer.Deserialize<CustomerProfile>(new BinaryData(snapshot)) : null) ?? new CustomerProfile();
        grainState.State = profile;
        grainState.ETag = stored.Version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored.RecordExists;
        _journal.HoldTail(read.CustomerId, profile.JournalSequence, stored.Journal);
    }
}

/// <summary>One customer to read back: the provider's key and hashes of its snapshot row, and its id in the journal.</summary>
internal readonly record struct ProfileRead(int IdHash, int TypeHash, string TypeName, ProviderRowKey Key, string CustomerId);

/// <summary>What is stored for one customer: the provider's snapshot row (if any) and its journal rows, in sequence order.</summary>
internal sealed class StoredProfile
{
    public bool RecordExists { get; set; }

    public int? Version { get; set; }

    public byte[]? Snapshot { get; set; }

    public List<(long Sequence, byte[] Payload)>? Journal { get; set; }
}
