using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Everything a silo hosting ProfileGrains grains needs, configured from the one options tree
    /// (<see cref="ProfileGrainsOptions"/>, section <c>ProfileGrains</c>) and validated when the host starts.
    /// </summary>
    public static IServiceCollection AddProfileGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProfileGrainsOptions>().Bind(configuration.GetSection(ProfileGrainsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProfileGrainsOptions>, ProfileGrainsOptionsValidator>());
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<ProfileGrainsOptions>>((collection, engine) =>
        {
            collection.ClassSpecificCollectionAge[typeof(CustomerGrain).FullName!] = engine.Value.CustomerIdleAge;
        });

        // The domain's rules, built once from their branch of the tree.
        services.TryAddSingleton(sp => Engine(sp).Scoring);
        services.TryAddSingleton(sp => Engine(sp).ContactPolicy);
        services.TryAddSingleton(sp => new IdentityProtectionPolicy(Engine(sp).IdentityProtection));
        services.TryAddSingleton(sp => new IdentifierNormalizer(Engine(sp).Identifiers));
        services.TryAddSingleton(sp => new IdentityKeyHasher(Engine(sp).IdentityKeySecret));

        services.TryAddSingleton(EngineClock.System);
        services.TryAddSingleton(sp => new IdentityCache(Engine(sp).IdentityCacheCapacity));
        services.TryAddSingleton<ICustomerJournal, NoCustomerJournal>();
        services.TryAddSingleton<IIdentityStore, NoIdentityStore>();
        services.TryAddSingleton<ISegmentMembershipStore, NoSegmentMembershipStore>();
        services.TryAddSingleton<ICustomerDirectory, GrainCustomerDirectory>();
        services.TryAddSingleton<IErasureRegistry, InProcessErasureRegistry>();
        services.TryAddSingleton<IErasureLedger, InProcessErasureLedger>();
        services.TryAddSingleton<SnapshotWriteGate>();
        services.AddSingleton<SegmentRulesCache>();
        services.AddHostedService(sp => sp.GetRequiredService<SegmentRulesCache>());
        services.AddSingleton<DoNotCallCache>();
        services.AddHostedService(sp => sp.GetRequiredService<DoNotCallCache>());
        services.AddSingleton<GrainReferences>();
        services.AddSingleton<IdentityResolver>();
        services.AddSingleton<MergeCoordinator>();
        services.AddSingleton<ErasureCoordinator>();
        services.AddHostedService<ErasureResumer>();
        services.AddMetrics();
        services.TryAddSingleton<EngineMetrics>();
        services.AddHostedService<RetentionSweeper>();
        services.AddHostedService<SiloActivityReporter>();
        services.AddSingleton<ProfileRouter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProfileEnricher, ContactEnricher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProfileEnricher, FrenchAddressEnricher>());
        services.TryAddSingleton(sp => new ProfileEnrichers(sp.GetServices<IProfileEnricher>()));
        return services;
    }

    /// <summary>
    /// Plugs in an enricher of the deployment's own (a provider's segmentation, a store catchment by postal code…): it
    /// runs after the built-in ones on every profile whose identifiers or traits change, its attributes shown under
    /// <c>enrichment</c> and read by rules as <c>enriched("key")</c>.
    /// </summary>
    public static IServiceCollection AddProfileEnricher<TEnricher>(this IServiceCollection services)
        where TEnricher : class, IProfileEnricher
    {
        services.AddSingleton<IProfileEnricher, TEnricher>();
        return services;
    }

    /// <summary>
    /// In-memory grain storage for every ProfileGrains store. State is written with the Orleans binary serializer,
    /// which follows [Id]/[Alias] and private setters; the default JSON serializer silently drops private setters.
    /// </summary>
    public static ISiloBuilder AddProfileGrainsMemoryStorage(this ISiloBuilder silo)
    {
        silo.UseInMemoryReminderService();
        foreach (var name in new[] { StorageNames.Profiles, StorageNames.Segments })
        {
            silo.AddMemoryGrainStorage(name);
            silo.Services.AddOptions<MemoryGrainStorageOptions>(name)
                .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }

        return silo;
    }

    private static ProfileGrainsOptions Engine(IServiceProvider services) => services.GetRequiredService<IOptions<ProfileGrainsOptions>>().Value;
}
