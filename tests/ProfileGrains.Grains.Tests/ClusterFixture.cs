using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains.Tests;

/// <summary>One in-process two-silo cluster shared by every test in the collection; tests use unique keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Shared by every silo of the cluster; tests that move it use their own customers and relative times.</summary>
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The same router the gateway uses, running in the test process as a client of the cluster.</summary>
    public ProfileRouter Router { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Router = NewRouter();
    }

    private static readonly EngineMetrics Metrics = new(
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    /// <summary>
    /// A router with a cache of its own, as another silo's gateway has: the client side of the cluster routes like a
    /// silo's gateway does (resolver, merge coordinator, router).
    /// </summary>
    public ProfileRouter NewRouter()
    {
        var gateway = NewGateway();
        return new ProfileRouter(gateway.Identities, gateway.Merges, gateway.Protection, Metrics);
    }

    /// <summary>An erasure coordinator with a route cache of its own, as another silo's gateway has.</summary>
    public ErasureCoordinator NewErasureCoordinator()
    {
        var gateway = NewGateway();
        return new ErasureCoordinator(
            gateway.References,
            gateway.Merges,
            gateway.Identities,
            new InProcessErasureRegistry(gateway.Hasher),
            new InProcessErasureLedger(),
            new EngineClock(Clock),
            Options.Create(gateway.Options));
    }

    /// <summary>What a silo's gateway routes with: grain references, a resolver with its own cache, a merge coordinator.</summary>
    private Gateway NewGateway()
    {
        var options = new ProfileGrainsOptions();
        var protection = new IdentityProtectionPolicy();
        var hasher = new IdentityKeyHasher(options.IdentityKeySecret);
        var references = new GrainReferences(Cluster.GrainFactory, Cluster.Client.ServiceProvider.GetRequiredService<Orleans.Metadata.GrainInterfaceTypeResolver>());
        var identities = new IdentityResolver(references, new IdentityCache(options.IdentityCacheCapacity), hasher, Options.Create(options));
        return new Gateway(options, protection, hasher, references, identities, new MergeCoordinator(references, identities, protection, new EngineClock(Clock), Metrics));
    }

    private sealed record Gateway(
        ProfileGrainsOptions Options,
        IdentityProtectionPolicy Protection,
        IdentityKeyHasher Hasher,
        GrainReferences References,
        IdentityResolver Identities,
        MergeCoordinator Merges);

    public async Task DisposeAsync() => await Cluster.StopAllSilosAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddProfileGrainsMemoryStorage();
            silo.Services.AddSingleton(new EngineClock(Clock));
            silo.Services.AddProfileGrains(silo.Configuration);
            silo.Services.Configure<ProfileGrainsOptions>(o =>
            {
                o.SegmentRefreshInterval = TimeSpan.FromMilliseconds(200);
                o.StateFlushInterval = TimeSpan.FromSeconds(1);
                o.WakeupTickInterval = TimeSpan.FromMilliseconds(200);
                o.ResidentTimeCheckInterval = TimeSpan.FromMilliseconds(300);
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
