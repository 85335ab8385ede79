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

    /// <summary>Segment-membership batches written in parallel (changes outside the journal: time passing, merges, rule changes).</summary>
    public int MembershipWriters { get; set; } = 1;

    /// <summary>
    /// Connections of the Orleans providers (membership, reminders, grain state): their pool's maximum. Npgsql's default
    /// of 100 per silo would exceed a default PostgreSQL's <c>max_connections</c> (100) with the second silo.
    /// </summary>
    public int ProviderConnections { get; set; } = 16;

    /// <summary>How long a caller waits for a free pooled connection (or a new one) before the call fails UNAVAILABLE.</summary>
    public int ConnectionWaitSeconds { get; set; } = 5;

    /// <summary>Readers of customers coming back into memory, each a connection while it reads (beyond one per writer).</summary>
    public int JournalReadConnections { get; set; } = 8;

    /// <summary>Most journal entries in one batch.</summary>
    public int JournalMaxBatch { get; set; } = 1000;

    /// <summary>Appends waiting for a writer beyond this make callers wait (back-pressure) instead of growing memory.</summary>
    public int JournalQueueCapacity { get; set; } = 20_000;

    /// <summary>The most connections one silo opens: the providers' pool and the journal's (writers and readers).</summary>
    public int ConnectionsPerSilo => ProviderConnections + JournalPoolSize;

    /// <summary>The journal's, identity map's and segment membership's own pool: one connection per writer, plus the readers.</summary>
    public int JournalPoolSize => JournalWriters + IdentityWriters + MembershipWriters + JournalReadConnections;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException(
                $"{SectionName}:ConnectionString is required when ProfileGrains:Storage is 'postgres' (for example Host=127.0.0.1;Port=5432;Database=profilegrains;Username=postgres).");
        }

        if (JournalWriters is < 1 or > 16 || IdentityWriters is < 1 or > 16 || MembershipWriters is < 1 or > 16 || JournalReadConnections is < 1 or > 64 || JournalMaxBatch is < 1 or > 10_000 || JournalQueueCapacity < JournalMaxBatch)
        {
            throw new InvalidOperationException(
                $"{SectionName}: JournalWriters, IdentityWriters and MembershipWriters must be 1-16, JournalReadConnections 1-64, JournalMaxBatch 1-10000 and JournalQueueCapacity at least JournalMaxBatch.");
        }

        if (ProviderConnections is < 2 or > 200 || ConnectionWaitSeconds is < 1 or > 60)
        {
            throw new InvalidOperationException($"{SectionName}: ProviderConnections must be 2-200 and ConnectionWaitSeconds 1-60.");
        }
    }
}
