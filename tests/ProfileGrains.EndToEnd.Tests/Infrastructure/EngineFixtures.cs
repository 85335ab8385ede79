using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProfileGrains.TestSupport;

namespace ProfileGrains.EndToEnd.Tests.Infrastructure;

/// <summary>The host shared by the profile, event, diagnostics and hostile-input tests.</summary>
public sealed class EngineFixture : EngineHost
{
    /// <summary>The retailer's own consent purposes this host knows.</summary>
    public static readonly string[] ConsentPurposes = ["research", "loyalty_programme"];

    /// <summary>The storefront allowed to call the engine from its pages (CORS).</summary>
    public const string AllowedOrigin = "https://shop.example.test";

    protected override IEnumerable<string> ExtraArguments =>
        [.. ConsentPurposes.Select((p, i) => $"--ProfileGrains:ConsentPurposes:{i}={p}"), $"--ProfileGrains:AllowedOrigins:0={AllowedOrigin}"];
}

/// <summary>A separate host for segment tests, so membership counts only see customers of the segment tests.</summary>
public sealed class SegmentEngineFixture : EngineHost
{
    protected override IEnumerable<string> ExtraArguments => EngineFixture.ConsentPurposes.Select((p, i) => $"--ProfileGrains:ConsentPurposes:{i}={p}");
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}

[CollectionDefinition(Name)]
public sealed class SegmentEngineCollection : ICollectionFixture<SegmentEngineFixture>
{
    public const string Name = "segment-engine";
}

/// <summary>
/// A host configured as for production: gRPC over TLS with a self-signed certificate, API keys (one per scope, one
/// stored as its SHA-256, one with two scopes, one with small quotas).
/// </summary>
public sealed class SecuredEngineFixture : EngineHost
{
    protected override bool UsesTls => true;

    public static readonly IReadOnlyDictionary<string, string> KeyOfScope = new Dictionary<string, string>
    {
        ["ingest"] = "test-ingest-key-0001",
        ["lookup"] = "test-lookup-key-0002",
        ["read"] = "test-read-key-00003",
        ["segments:write"] = "test-segments-key-04",
        ["privacy"] = "test-privacy-key-005",
        ["admin"] = "test-admin-key-00006",
        ["self-service"] = "test-self-service-key-10",
    };

    public const string CustomerTokenSecret = "test-customer-token-secret-000000000000";

    public ProfileGrains.Protos.V1.SelfService.SelfServiceClient Self => new(Channel);

    /// <summary>Configured only as its SHA-256 (KeySha256).</summary>
    public const string HashedReadKey = "hashed-read-key-0007";

    /// <summary>The website's key: it writes and looks up, and reads nothing else.</summary>
    public const string WebsiteKey = "website-key-00000008";

    /// <summary>Five calls a second and one WatchSegment stream at a time.</summary>
    public const string LimitedKey = "limited-key-00000009";

    protected override IEnumerable<string> ExtraArguments =>
    [
        .. KeyOfScope.SelectMany(k => new[]
        {
            $"--ProfileGrains:Auth:ApiKeys:{k.Key.Replace(':', '-')}:Key={k.Value}",
            $"--ProfileGrains:Auth:ApiKeys:{k.Key.Replace(':', '-')}:Scopes={k.Key}",
        }),
        $"--ProfileGrains:Auth:ApiKeys:hashed:KeySha256={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(HashedReadKey)))}",
        "--ProfileGrains:Auth:ApiKeys:hashed:Scopes=read",
        $"--ProfileGrains:Auth:ApiKeys:website:Key={WebsiteKey}",
        "--ProfileGrains:Auth:ApiKeys:website:Scopes=ingest, lookup",
        $"--ProfileGrains:Auth:ApiKeys:limited:Key={LimitedKey}",
        "--ProfileGrains:Auth:ApiKeys:limited:Scopes=read,lookup",
        "--ProfileGrains:Auth:ApiKeys:limited:RatePerSecond=5",
        "--ProfileGrains:Auth:ApiKeys:limited:MaxStreams=1",
        "--ProfileGrains:Auth:StreamIdleTimeout=00:00:03",
        $"--ProfileGrains:Auth:CustomerTokenSecret={CustomerTokenSecret}",
        "--ProfileGrains:Dashboard=true",
    ];
}

[CollectionDefinition(Name)]
public sealed class SecuredEngineCollection : ICollectionFixture<SecuredEngineFixture>
{
    public const string Name = "secured-engine";
}

/// <summary>
/// A host logging everything, from trace up, every category (ours, Orleans, ASP.NET Core, grpc-dotnet), into memory,
/// for the test that reads the log for personal data.
/// </summary>
public sealed class LoggedEngineFixture : EngineHost
{
    public CapturedLog Log { get; } = new();

    protected override IEnumerable<string> ExtraArguments =>
    [
        "--Logging:LogLevel:Default=Trace",
        "--Logging:LogLevel:Orleans=Trace",
        "--Logging:LogLevel:Microsoft=Trace",
        "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
        "--Logging:LogLevel:Grpc=Trace",
        "--Logging:LogLevel:Polly=Trace",
    ];

    protected override void ConfigureBuilder(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Log);
    }
}

[CollectionDefinition(Name)]
public sealed class LoggedEngineCollection : ICollectionFixture<LoggedEngineFixture>
{
    public const string Name = "logged-engine";
}

/// <summary>A host where an erased person's identifiers may not come back (ReingestAfterErasure=Refuse).</summary>
public sealed class SuppressingEngineFixture : EngineHost
{
    protected override IEnumerable<string> ExtraArguments => ["--ProfileGrains:ReingestAfterErasure=Refuse"];
}

[CollectionDefinition(Name)]
public sealed class SuppressingEngineCollection : ICollectionFixture<SuppressingEngineFixture>
{
    public const string Name = "suppressing-engine";
}

/// <summary>
/// A host whose business clock the test moves (<see cref="Clock"/>), keeping customers 30 days of inactivity and
/// sweeping for quiet ones every 100 ms.
/// </summary>
public sealed class RetentionEngineFixture : EngineHost
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<string> ExtraArguments =>
    [
        "--ProfileGrains:RetentionInactivity=30.00:00:00",
        "--ProfileGrains:RetentionSweepInterval=00:00:00.001",
        "--ProfileGrains:RetentionTickInterval=00:00:00.100",
    ];

    protected override void ConfigureBuilder(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
        builder.Services.AddSingleton(new ProfileGrains.Grains.EngineClock(Clock));
}

[CollectionDefinition(Name)]
public sealed class RetentionEngineCollection : ICollectionFixture<RetentionEngineFixture>
{
    public const string Name = "retention-engine";
}

/// <summary>
/// A host whose clock the test moves (time-driven segments such as an abandoned cart), checking resident customers'
/// time-driven segments every 100 ms, with campaign indicators written often.
/// </summary>
public sealed class StoryEngineFixture : EngineHost
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<string> ExtraArguments =>
    [
        "--ProfileGrains:ResidentTimeCheckInterval=00:00:00.100",
        "--ProfileGrains:PersonalizationNeedsConsent=false",
    ];

    protected override void ConfigureBuilder(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new ProfileGrains.Grains.EngineClock(Clock));
        ProfileGrains.Grains.GrainServiceCollectionExtensions.AddProfileEnricher<CatchmentEnricher>(builder.Services);
    }

    /// <summary>A deployment's own enricher: the store whose catchment area a postal code falls in.</summary>
    public sealed class CatchmentEnricher : ProfileGrains.Domain.IProfileEnricher
    {
        public IReadOnlySet<string> Reads { get; } = new HashSet<string>(["addresses"]);

        public void Enrich(ProfileGrains.Domain.CustomerProfile profile, IDictionary<string, string> into)
        {
            if (profile.Traits.Addresses.Any(a => a.PostalCode?.StartsWith("6900", StringComparison.Ordinal) == true))
            {
                into["catchment"] = "lyon-part-dieu";
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StoryEngineCollection : ICollectionFixture<StoryEngineFixture>
{
    public const string Name = "story-engine";
}

/// <summary>A host of its own for the insight tests, so the customer base they count is theirs alone.</summary>
public sealed class InsightEngineFixture : EngineHost;

[CollectionDefinition(Name)]
public sealed class InsightEngineCollection : ICollectionFixture<InsightEngineFixture>
{
    public const string Name = "insight-engine";
}
