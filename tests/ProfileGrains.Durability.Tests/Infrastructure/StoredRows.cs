using Npgsql;

namespace ProfileGrains.Durability.Tests.Infrastructure;

/// <summary>What PostgreSQL holds, counted directly: the tests' view of storage, independent of the engine's reads.</summary>
public static class StoredRows
{
    /// <summary>Journal entries stored for a customer (entries a stored snapshot covers are deleted soon after it).</summary>
    public static async Task<long> JournalRows(string database, string serviceId, string customerId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM profilegrains_journal WHERE service_id = $1 AND customer_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
