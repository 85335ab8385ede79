namespace ProfileGrains.Browser.Tests.Infrastructure;

/// <summary>
/// The browser the tests drive: the distribution's Chromium (Debian/Ubuntu package <c>chromium</c>, which CI installs),
/// or the one PROFILEGRAINS_CHROMIUM names. Playwright's own browser download is not used.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("PROFILEGRAINS_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException("No Chromium found: install the 'chromium' package (apt-get install -y chromium) or set PROFILEGRAINS_CHROMIUM");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
        return (playwright, browser);
    }
}
