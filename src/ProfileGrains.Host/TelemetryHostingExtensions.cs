using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ProfileGrains.Grains;
using ProfileGrains.Host.Security;

namespace ProfileGrains.Host;

/// <summary>
/// OpenTelemetry: metrics of ASP.NET Core (calls and latency per RPC route), the .NET runtime, Orleans, Npgsql and the
/// engine's own meter, scraped by Prometheus at <c>/metrics</c> (web port, scope admin when keys are configured) and
/// pushed over OTLP when an endpoint is set; traces from the gateway through the grains to PostgreSQL, over OTLP only.
/// </summary>
public static class TelemetryHostingExtensions
{
    public const string ServiceName = "profilegrains";

    public static WebApplicationBuilder AddProfileGrainsTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton(telemetry);
        var otlp = telemetry.OtlpEndpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : null;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        if (telemetry.Metrics)
        {
            otel.WithMetrics(metrics =>
            {
                // ASP.NET Core's request duration per route (calls and latency per RPC) and Kestrel's connections; not its
                // routing, rate-limiting and diagnostics meters, which add more measurements to every call.
                metrics.AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddRuntimeInstrumentation()
                    .AddMeter(EngineMetrics.MeterName, "Npgsql");
                if (telemetry.OrleansMetrics)
                {
                    metrics.AddMeter("Microsoft.Orleans");
                }

                if (telemetry.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        }

        if (otlp is not null)
        {
            // Tracing costs every grain call an activity: only when someone collects the traces.
            otel.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio)))
                .AddAspNetCoreInstrumentation()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "ProfileGrains.Storage")
                .AddNpgsql()
                .AddOtlpExporter(o => o.Endpoint = otlp));
        }

        return builder;
    }

    public static WebApplication MapProfileGrainsTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetryOptions>() is { Metrics: true, Prometheus: true })
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Scopes.Admin);
        }

        return app;
    }
}
