namespace ProfileGrains.Storage;

/// <summary>Section "ProfileGrains:Postgres"; see the README's configuration table.</summary>
public sealed class PostgresStorageOptions
{
    public const string SectionName = "ProfileGrains:Postgres";

    /// <summary>Npgsql connection string of the one database holding clustering, grain state, reminders and the journal.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Create or upgrade the schema at start-up (idempotent, serialized across silos by an advisory lock).</summary>
    public bool ApplySchema { get; set; } = true;

    /// <summary>Journal batches written in parallel. Each batch is one INSERT and one commit for many customers.</summary>
    public int JournalWriters { get; set; } = 2;

    /// <summary>Identity-map batches written in parallel (first claims when customers are created, re-points on merges).</summary>
    public int IdentityWriters { get; set; } = 1;

    /// <summary>Connections for reading journal tails when customers activate (beyond one per writer).</summary>
    public int JournalReadConnections { get; set; } = 8;

    /// <summary>Most journal entries in one batch.</summary>
    public int JournalMaxBatch { get; set; } = 1000;

    /// <summary>Appends waiting for a writer beyond this make callers wait (back-pressure) instead of growing memory.</summary>
    public int JournalQueueCapacity { get; set; } = 20_000;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException(
                $"{SectionName}:ConnectionString is required when ProfileGrains:Storage is 'postgres' (for example Host=127.0.0.1;Port=5432;Database=profilegrains;Username=postgres).");
        }

        if (JournalWriters is < 1 or > 16 || IdentityWriters is < 1 or > 16 || JournalReadConnections is < 1 or > 64 || JournalMaxBatch is < 1 or > 10_000 || JournalQueueCapacity < JournalMaxBatch)
        {
            throw new InvalidOperationException(
                $"{SectionName}: JournalWriters and IdentityWriters must be 1-16, JournalReadConnections 1-64, JournalMaxBatch 1-10000 and JournalQueueCapacity at least JournalMaxBatch.");
        }
    }
}
