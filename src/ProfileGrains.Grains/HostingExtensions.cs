using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ProfileGrains.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>Services every silo hosting ProfileGrains grains needs.</summary>
    public static IServiceCollection AddProfileGrains(this IServiceCollection services)
    {
        services.AddOptions<ProfileEngineOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SegmentRulesCache>();
        services.AddHostedService(sp => sp.GetRequiredService<SegmentRulesCache>());
        return services;
    }
}
