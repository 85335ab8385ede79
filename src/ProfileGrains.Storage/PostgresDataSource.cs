using Npgsql;

namespace ProfileGrains.Storage;

/// <summary>The journal's own connection pool, separate from the Orleans providers' so neither starves the other.</summary>
public sealed class PostgresDataSource(NpgsqlDataSource source) : IAsyncDisposable
{
    public NpgsqlDataSource Source { get; } = source;

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
