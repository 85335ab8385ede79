using System.Globalization;
using System.Text;
using Npgsql;
using Orleans.Storage;
using ProfileGrains.Domain;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>
/// The customers' grain storage. Snapshots are written and cleared by the Orleans ADO.NET provider, into its own table;
/// a customer coming back into memory is read here instead, in one statement: its snapshot row (the provider's, found by
/// the provider's own key) and every journal entry stored for it, so the activation costs one round trip where the
/// provider's read and the journal's replay read cost two. The entries after the snapshot are held for the journal's
/// replay that follows in the same activation (<see cref="PostgresCustomerJournal.HoldTail"/>).
/// A customer being created (<see cref="NewCustomer"/>) is not read at all: it starts empty, with no version, so a row
/// stored under its id after all would make its first snapshot write fail rather than be overwritten.
/// </summary>
internal sealed class PostgresProfileStorage : IGrainStorage
{
    // The provider's row is found by every column of its unique key, as its own ReadFromStorageKey query does
    // (ProviderRowKey). One statement is one MVCC snapshot: the tail read is exactly the journal as of the snapshot read.
    private const string ReadSql = """
        SELECT NULL::bigint, version, payloadbinary FROM orleansstorage
        WHERE grainidhash = $1 AND graintypehash = $2 AND grainidn0 = $3 AND grainidn1 = $4
            AND graintypestring = $5 AND grainidextensionstring IS NOT DISTINCT FROM $6 AND serviceid = $7
        UNION ALL
        SELECT seq, NULL, payload FROM profilegrains_journal
        WHERE service_id = $7 AND customer_id = $8
        ORDER BY 1 NULLS FIRST
        """;

    private readonly AdoNetGrainStorage _provider;
    private readonly string _providerName;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresCustomerJournal _journal;
    private readonly string _serviceId;

    public PostgresProfileStorage(AdoNetGrainStorage provider, string providerName, PostgresDataSource dataSource, PostgresCustomerJournal journal, string serviceId)
    {
        _provider = provider;
        _providerName = providerName;
        _dataSource = dataSource.Source;
        _journal = journal;
        _serviceId = serviceId;
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

    private async Task ReadProfileAsync(string stateName, GrainId grainId, IGrainState<CustomerProfile> grainState)
    {
        var customerId = grainId.Key.ToString()!;
        var hasher = _provider.HashPicker.PickHasher(_serviceId, _providerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException($"grain storage {_providerName} has no key hasher");
        await using var command = _dataSource.CreateCommand(ReadSql);
        var key = ProviderRowKey.Of(grainId);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = hasher.Hash(key.HashBytes) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = hasher.Hash(Encoding.UTF8.GetBytes(stateName)) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key.N0 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key.N1 });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.Extension ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });

        CustomerProfile? snapshot = null;
        string? version = null;
        var recordExists = false;
        List<(long Sequence, byte[] Payload)>? journal = null;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (reader.IsDBNull(0))
                {
                    recordExists = true;
                    version = reader.IsDBNull(1) ? null : reader.GetInt32(1).ToString(CultureInfo.InvariantCulture);
                    snapshot = reader.IsDBNull(2) ? null : _provider.Serializer.Deserialize<CustomerProfile>(new BinaryData(reader.GetFieldValue<byte[]>(2)));
                }
                else
                {
                    (journal ??= []).Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(2)));
                }
            }
        }

        var profile = snapshot ?? new CustomerProfile();
        grainState.State = profile;
        grainState.ETag = version;
        grainState.RecordExists = recordExists;
        _journal.HoldTail(customerId, profile.JournalSequence, journal);
    }
}
