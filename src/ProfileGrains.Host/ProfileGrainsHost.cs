using ProfileGrains.Grains;

namespace ProfileGrains.Host;

/// <summary>One process: an Orleans silo holding the grains and the gRPC gateway in front of it.</summary>
public static class ProfileGrainsHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Configuration sits beside the binary, wherever the engine is started from (a service manager, a script).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var options = ProfileGrainsOptionsValidator.Load(builder.Configuration);
        builder.AddProfileGrainsEngine(options);
        builder.AddProfileGrainsGateway(options);
        builder.AddProfileGrainsTelemetry();

        var app = builder.Build();
        app.MapProfileGrainsGateway();
        app.LogStartup(options);
        return app;
    }
}
