using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using ProfileGrains.Grains;

namespace ProfileGrains.Storage;

public static class PostgresHosting
{
    private const string Invariant = "Npgsql";

    /// <summary>
    /// Durable mode: clustering, grain state and reminders through the Orleans ADO.NET providers, and the customer journal,
    /// all in one PostgreSQL database. Register before UseOrleans' silo starts: the schema is applied by a hosted service
    /// that runs before the silo joins the cluster.
    /// </summary>
    public static ISiloBuilder AddProfileGrainsPostgres(this ISiloBuilder silo, PostgresStorageOptions options)
    {
        options.Validate();

        // Every pool is bounded and waits a little for a free connection, so N silos open at most N x
        // ConnectionsPerSilo connections and a burst queues briefly instead of failing at once.
        // No session state is ever set on a pooled connection (the schema's advisory lock uses its own, unpooled one), so
        // returning one to the pool needs no reset: measured, the reset cost PostgreSQL seven statements per use. The
        // same few statements (state reads above all, whose planning cost 100 µs each) are prepared once per connection.
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            MaxPoolSize = options.ProviderConnections,
            Timeout = options.ConnectionWaitSeconds,
            NoResetOnClose = true,
            MaxAutoPrepare = 16,
        }.ConnectionString;
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        // Profiles are written by the provider under their own name; the storage grains see reads them (PostgresProfileStorage).
        const string storedProfiles = StorageNames.Profiles + "-stored";
        foreach (var name in new[] { storedProfiles, StorageNames.Segments })
        {
            silo.AddAdoNetGrainStorage(name, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                // Cleared state is deleted, not kept as an empty row: an erased customer leaves no row with its id.
                o.DeleteStateOnClear = true;
            });
            // Pinned before the first row is written: the binary serializer follows [Id]/[Alias], so renaming or
            // moving a state type does not orphan stored rows (the default JSON writes CLR type names into each row).
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(name)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }

        silo.Services.AddGrainStorage(StorageNames.Profiles, (services, _) => new PostgresProfileStorage(
            (AdoNetGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(storedProfiles),
            storedProfiles,
            services.GetRequiredService<PostgresDataSource>(),
            services.GetRequiredService<PostgresCustomerJournal>(),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            options.JournalReadConnections,
            services.GetRequiredService<ILogger<PostgresProfileStorage>>()));

        silo.Services.AddSingleton(Options.Create(options));
        silo.Services.AddSingleton(_ =>
        {
            // The journal and the identity map need one connection per writer, plus a few for replay reads and shard
            // loads when grains activate;
            // bounded so it never takes the server's connections away from the Orleans providers' pool.
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.MaxPoolSize = options.JournalPoolSize;
            return new PostgresDataSource(builder.Build());
        });
        silo.Services.RemoveAll<ICustomerJournal>();
        silo.Services.AddSingleton<PostgresCustomerJournal>();
        silo.Services.AddSingleton<ICustomerJournal>(sp => sp.GetRequiredService<PostgresCustomerJournal>());
        silo.Services.RemoveAll<IIdentityStore>();
        silo.Services.AddSingleton<IIdentityStore, PostgresIdentityStore>();
        silo.Services.RemoveAll<ISegmentMembershipStore>();
        silo.Services.AddSingleton<PostgresSegmentMembershipStore>();
        silo.Services.AddSingleton<ISegmentMembershipStore>(sp => sp.GetRequiredService<PostgresSegmentMembershipStore>());
        silo.Services.RemoveAll<ICustomerDirectory>();
        silo.Services.AddSingleton<ICustomerDirectory, PostgresCustomerDirectory>();
        silo.Services.RemoveAll<IErasureRegistry>();
        silo.Services.AddSingleton<IErasureRegistry, PostgresErasureRegistry>();
        silo.Services.RemoveAll<IErasureLedger>();
        silo.Services.AddSingleton<IErasureLedger, PostgresErasureLedger>();
        return silo;
    }

    /// <summary>
    /// Applies the schema before anything else starts. Call on the host's services before UseOrleans: hosted services
    /// start in registration order, and the silo needs its membership table to exist.
    /// </summary>
    public static IServiceCollection AddPostgresSchemaInitializer(this IServiceCollection services, PostgresStorageOptions options) =>
        options.ApplySchema ? services.AddHostedService(sp => new SchemaInitializer(options.ConnectionString, sp.GetRequiredService<ILogger<SchemaInitializer>>())) : services;

    internal sealed class SchemaInitializer(string connectionString, ILogger<SchemaInitializer> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await PostgresSchema.ApplyAsync(connectionString, cancellationToken);
            logger.LogInformation("PostgreSQL schema is up to date");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
