using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Browser.Tests.Infrastructure;

/// <summary>An engine as `dotnet run` starts it (open development mode on loopback) and a browser to look at its pages.</summary>
public class BrowserEngine : EngineHost, IAsyncLifetime
{
    private IPlaywright? _playwright;

    private readonly List<IBrowserContext> _contexts = [];

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Closes every page a test opened, so none keeps polling the engine while the next test runs.</summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in open)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A page of a fresh browser context (its own storage: a new visitor), at 1280×800 unless told otherwise.</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = WebAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A customer created through gRPC (as another touchpoint would), for the pages to find.</summary>
    public async Task<string> CreateCustomerAsync(IdentifyRequest request, Metadata? headers = null) =>
        (await Profiles.IdentifyAsync(request, headers)).CustomerId;
}

/// <summary>An engine that requires API keys, one per scope, to see what each key's user can and cannot do.</summary>
public sealed class KeyedBrowserEngine : BrowserEngine
{
    public static readonly IReadOnlyDictionary<string, string> KeyOfScope = new Dictionary<string, string>
    {
        ["ingest"] = "browser-ingest-key-001",
        ["lookup"] = "browser-lookup-key-002",
        ["read"] = "browser-read-key-00003",
        ["segments:write"] = "browser-segments-key-4",
        ["privacy"] = "browser-privacy-key-05",
        ["admin"] = "browser-admin-key-0006",
    };

    /// <summary>What a marketing analyst holds: reading and writing segments, nothing about individuals' rights.</summary>
    public const string MarketingKey = "browser-marketing-key-7";

    /// <summary>What a data-protection officer holds: reading customers and acting on their rights.</summary>
    public const string DataProtectionKey = "browser-dpo-key-000008";

    public static Metadata Bearer(string key) => new() { { "authorization", $"Bearer {key}" } };

    protected override IEnumerable<string> ExtraArguments =>
    [
        .. KeyOfScope.SelectMany(k => new[]
        {
            $"--ProfileGrains:Auth:ApiKeys:{k.Key.Replace(':', '-')}:Key={k.Value}",
            $"--ProfileGrains:Auth:ApiKeys:{k.Key.Replace(':', '-')}:Scopes={k.Key}",
        }),
        $"--ProfileGrains:Auth:ApiKeys:marketing:Key={MarketingKey}",
        "--ProfileGrains:Auth:ApiKeys:marketing:Scopes=read,segments:write",
        $"--ProfileGrains:Auth:ApiKeys:dpo:Key={DataProtectionKey}",
        "--ProfileGrains:Auth:ApiKeys:dpo:Scopes=read,privacy",
    ];
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserEngine>
{
    public const string Name = "browser";
}

[CollectionDefinition(Name)]
public sealed class KeyedBrowserCollection : ICollectionFixture<KeyedBrowserEngine>
{
    public const string Name = "keyed-browser";
}
