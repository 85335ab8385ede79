namespace ProfileGrains.Durability.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL server per collection; each test class or test takes its own database.</summary>
public class PostgresFixture : IAsyncLifetime
{
    private ThrowawayPostgres? _server;
    private int _databases;

    public ThrowawayPostgres Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started");

    public Task<string> NewDatabaseAsync() => Server.CreateDatabaseAsync($"pg_test_{Interlocked.Increment(ref _databases)}");

    public async Task InitializeAsync() => _server = await ThrowawayPostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class SharedPostgres : PostgresFixture;

/// <summary>A server of its own for tests that stop and start it.</summary>
public sealed class OutagePostgres : PostgresFixture;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<SharedPostgres>
{
    public const string Name = "postgres";
}

[CollectionDefinition(Name)]
public sealed class OutageCollection : ICollectionFixture<OutagePostgres>
{
    public const string Name = "postgres-outage";
}
