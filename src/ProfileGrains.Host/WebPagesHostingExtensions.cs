using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using ProfileGrains.Grains;

namespace ProfileGrains.Host;

/// <summary>
/// The insight console, the demo shop and the till: static files (wwwroot, copied beside the binary) that call the
/// JSON API on the same origin. Served with a Content-Security-Policy that lets them run their own scripts and talk to
/// this origin only, so no customer text can ever run as script.
/// </summary>
public static class WebPagesHostingExtensions
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static WebApplication UseProfileGrainsWebPages(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ProfileGrainsOptions>>().Value;
        if (options.WebPort < 0 || !options.WebPages || !Directory.Exists(app.Environment.WebRootPath))
        {
            return app;
        }

        var files = new PhysicalFileProvider(app.Environment.WebRootPath);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Pages change with the engine's version: revalidate rather than run a stale console against a new API.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    /// <summary>Where the pages are, for the start-up log.</summary>
    public static string? WebPagesAddress(this ProfileGrainsOptions options, bool tls) =>
        options.WebPort >= 0 && options.WebPages
            ? $"{(tls ? "https" : "http")}://{(options.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : options.ListenAddress)}:{options.WebPort}"
            : null;
}
