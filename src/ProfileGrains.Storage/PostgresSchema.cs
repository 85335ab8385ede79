using Npgsql;

namespace ProfileGrains.Storage;

/// <summary>
/// The database schema ProfileGrains needs: the tables and queries of the Orleans ADO.NET providers (which ship no SQL)
/// and our own journal. Every script is idempotent; silos starting together take turns through an advisory lock.
/// </summary>
public static class PostgresSchema
{
    private const long AdvisoryLockKey = 0x5052_4F46_494C_4547; // "PROFILEG"

    public static IReadOnlyList<string> ScriptNames { get; } = ["001-orleans.sql", "002-profilegrains.sql"];

    public static string ReadScript(string name)
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream("ProfileGrains.Storage.Schema." + name)
            ?? throw new InvalidOperationException($"schema script {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        // Once per start: not pooled, so it is closed afterwards and counts against no silo's connection budget.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            foreach (var name in ScriptNames)
            {
                await using var apply = new NpgsqlCommand(ReadScript(name), connection);
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
