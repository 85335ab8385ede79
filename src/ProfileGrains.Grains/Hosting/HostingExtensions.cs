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
    /// <summary>Services every silo hosting ProfileGrains grains needs.</summary>
    public static IServiceCollection AddProfileGrains(this IServiceCollection services)
    {
        services.AddOptions<ProfileEngineOptions>();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<ProfileEngineOptions>>((collection, engine) =>
        {
            collection.ClassSpecificCollectionAge[typeof(CustomerGrain).FullName!] = engine.Value.CustomerIdleAge;
            collection.ClassSpecificCollectionAge[typeof(IdentityGrain).FullName!] = engine.Value.IdentityIdleAge;
        });
        services.TryAddSingleton(EngineClock.System);
        services.AddSingleton<SegmentRulesCache>();
        services.TryAddSingleton(new IdentityCache());
        services.TryAddSingleton(sp =>
        {
            var scoring = sp.GetService<IOptions<ScoringOptions>>()?.Value ?? new ScoringOptions();
            scoring.Validate();
            Domain.Rules.RuleScoring.Options = scoring;
            return scoring;
        });
        services.TryAddSingleton(sp =>
        {
            var policy = sp.GetService<IOptions<ContactPolicyOptions>>()?.Value ?? new ContactPolicyOptions();
            policy.Validate();
            return policy;
        });
        services.TryAddSingleton(sp => new IdentityProtectionPolicy(sp.GetService<IOptions<IdentityProtectionOptions>>()?.Value));
        services.TryAddSingleton<ICustomerJournal, NoCustomerJournal>();
        services.TryAddSingleton<ICustomerDirectory, GrainCustomerDirectory>();
        services.AddSingleton<IdentityResolver>();
        services.AddSingleton<MergeCoordinator>();
        services.AddSingleton<ProfileRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<SegmentRulesCache>());
        return services;
    }

    /// <summary>
    /// In-memory grain storage for every ProfileGrains store. State is written with the Orleans binary serializer,
    /// which follows [Id]/[Alias] and private setters; the default JSON serializer silently drops private setters.
    /// </summary>
    public static ISiloBuilder AddProfileGrainsMemoryStorage(this ISiloBuilder silo)
    {
        silo.UseInMemoryReminderService();
        foreach (var name in new[] { StorageNames.Profiles, StorageNames.Identities, StorageNames.Segments })
        {
            silo.AddMemoryGrainStorage(name);
            silo.Services.AddOptions<MemoryGrainStorageOptions>(name)
                .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }

        return silo;
    }
}
