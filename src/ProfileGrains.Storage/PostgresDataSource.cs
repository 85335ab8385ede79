using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using Orleans.Serialization;
using ProfileGrains.Domain;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

/// <summary>The journal's own connection pool, separate from the Orleans providers' so neither starves the other.</summary>
public sealed class PostgresDataSource(NpgsqlDataSource source) : IAsyncDisposable
{
    public NpgsqlDataSource Source { get; } = source;

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
