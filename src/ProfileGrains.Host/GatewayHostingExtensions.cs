using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using ProfileGrains.Host.Grpc;
using ProfileGrains.Host.Security;

namespace ProfileGrains.Host;

/// <summary>
/// The gateway: the gRPC endpoint (h2c, or TLS with a configured certificate) and the web endpoint (HTTP/1.1: gRPC-Web
/// for browsers, with CORS for the configured origins, and the metrics), the ProfileGrains services, health and reflection.
/// </summary>
public static class GatewayHostingExtensions
{
    private const string Live = "live";
    private const string BrowserOrigins = "browsers";

    public static WebApplicationBuilder AddProfileGrainsGateway(this WebApplicationBuilder builder, ProfileGrainsOptions options)
    {
        var tls = builder.Configuration.HasGatewayCertificate();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = Limits.MaxReceiveMessageBytes + 1024;
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.GrpcPort, endpoint =>
            {
                if (tls)
                {
                    // Kestrel's default certificate (Kestrel:Certificates:Default); ALPN picks HTTP/2 for gRPC clients.
                    endpoint.Protocols = HttpProtocols.Http1AndHttp2;
                    endpoint.UseHttps();
                }
                else
                {
                    // gRPC without TLS needs an HTTP/2-only endpoint: clients speak h2c with prior knowledge.
                    endpoint.Protocols = HttpProtocols.Http2;
                }
            });
            if (options.WebPort >= 0)
            {
                kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.WebPort, endpoint =>
                {
                    endpoint.Protocols = HttpProtocols.Http1;
                    if (tls)
                    {
                        endpoint.UseHttps();
                    }
                });
            }
        });
        builder.Services.AddCors(cors => cors.AddPolicy(BrowserOrigins, policy => policy
            .WithOrigins([.. options.AllowedOrigins])
            .AllowAnyHeader()
            .WithMethods("POST", "GET", "OPTIONS")
            .WithExposedHeaders("Grpc-Status", "Grpc-Message", "Grpc-Encoding", "Grpc-Accept-Encoding", "Grpc-Status-Details-Bin")));
        builder.Services.AddSingleton<RequestMapper>();
        builder.Services.AddSingleton<CustomerReads>();
        // Registered, the services and the interceptor are resolved once; unregistered, gRPC builds each of them by
        // reflection (ActivatorUtilities) on every call, which measured ~3 % of the engine's CPU at 100,000 customers.
        builder.Services.AddSingleton<ProfileGrpcService>();
        builder.Services.AddSingleton<SegmentGrpcService>();
        builder.Services.AddSingleton<SelfGrpcService>();
        builder.Services.AddSingleton<DiagnosticsGrpcService>();
        builder.Services.AddSingleton<CampaignGrpcService>();
        builder.Services.AddSingleton<InsightGrpcService>();
        builder.Services.AddSingleton<EngineExceptionInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = Limits.MaxReceiveMessageBytes;
            grpc.Interceptors.Add<EngineExceptionInterceptor>();
        }).AddJsonTranscoding(json =>
            // Error details travel as google.protobuf.Any: the JSON writer must know their types to print them.
            json.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor));

        // The REST mapping (google.api.http in the protos) described as OpenAPI at /openapi/v1.json.
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new() { Title = "ProfileGrains", Version = "v1" });
            swagger.CustomSchemaIds(type => type.FullName?.Replace('+', '.'));
        });
        builder.Services.AddGrpcReflection();
        builder.AddProfileGrainsSecurity(options);
        // "liveness": the process answers. "readiness" (and the unnamed service a balancer asks by default): it can also
        // take changes, which in postgres mode needs the database.
        var checks = builder.Services.AddGrpcHealthChecks(health =>
        {
            health.Services.Map(string.Empty, _ => true);
            health.Services.Map("readiness", _ => true);
            health.Services.Map("liveness", check => check.Tags.Contains(Live));
        }).AddCheck("engine", () => HealthCheckResult.Healthy(), tags: [Live]);
        if (options.IsDurable)
        {
            checks.AddCheck<StorageReadinessCheck>("storage");
        }

        builder.Services.RefuseMalformedRequests();
        return builder;
    }

    public static WebApplication MapProfileGrainsGateway(this WebApplication app)
    {
        app.UseProfileGrainsWebPages();
        app.UseRouting();

        // gRPC-Web: a browser's fetch() carries the same RPCs over HTTP/1.1 (or HTTP/2 with TLS), on the same services,
        // keys and scopes; CORS answers preflights from the configured origins before authentication.
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        // Each RPC names its scope ([Authorize] on the service methods); health stays open for load balancers.
        app.MapGrpcService<ProfileGrpcService>().RequireCors(BrowserOrigins);
        app.MapGrpcService<SegmentGrpcService>().RequireCors(BrowserOrigins);
        app.MapGrpcService<CampaignGrpcService>().RequireCors(BrowserOrigins);
        app.MapGrpcService<InsightGrpcService>().RequireCors(BrowserOrigins);
        app.MapGrpcService<SelfGrpcService>().RequireCors(BrowserOrigins);
        app.MapGrpcService<DiagnosticsGrpcService>().RequireCors(BrowserOrigins);
        app.MapGrpcHealthChecksService();
        // An endpoint, not a middleware: a middleware would match every gRPC call's path against the document's template.
        app.MapSwagger("/openapi/{documentName}.json");
        app.MapProfileGrainsTelemetry();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProfileGrainsOptions>>().Value.Dashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Scopes.Admin);
        }
        app.MapReflectionIfAllowed();
        return app;
    }

    /// <summary>TLS is on when Kestrel's standard default certificate is configured (Kestrel:Certificates:Default:Path).</summary>
    public static bool HasGatewayCertificate(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Kestrel:Certificates:Default:Path"]);

    public static void LogStartup(this WebApplication app, ProfileGrainsOptions options) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ProfileGrains");
            var tls = app.Configuration.HasGatewayCertificate();
            log.LogInformation("ProfileGrains listening on {Addresses}: gRPC ({Transport}) on port {GrpcPort}, web (pages, JSON, gRPC-Web, /metrics) on port {WebPort}; Orleans silo port {SiloPort}, gateway port {GatewayPort}",
                string.Join(", ", app.Urls), tls ? "TLS" : "h2c", options.GrpcPort, options.WebPort >= 0 ? options.WebPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off", options.SiloPort, options.GatewayPort);
            if (options.WebPagesAddress(tls) is { } pages)
            {
                log.LogInformation("Insight console: {Console}/console/ — demo shop {Shop}/shop/ and till {Till}/till/", pages, pages, pages);
            }

            if (!tls && !IPAddress.IsLoopback(IPAddress.Parse(options.ListenAddress)))
            {
                log.LogWarning("gRPC without TLS on {Address}: API keys and customer data cross the network in clear unless TLS is terminated in front; configure Kestrel:Certificates:Default (README, Security)", options.ListenAddress);
            }

            log.LogSecurity(app.Services.GetRequiredService<ApiKeyRing>());
            if (options.IsDurable)
            {
                log.LogInformation("Storage mode 'postgres': acknowledged changes are journaled in PostgreSQL before OK; cluster {ClusterId}", options.ClusterId);
                if (options.IdentityKeySecret == ProfileGrainsOptions.DevelopmentIdentityKeySecret)
                {
                    log.LogWarning("ProfileGrains:IdentityKeySecret is the development default: set a secret of your own before storing real customers (changing it later makes stored identifiers unreachable)");
                }
            }
            else
            {
                log.LogWarning("Storage mode 'memory': all profiles, identities and segments live in this process and are lost when it stops");
            }
        });
}
