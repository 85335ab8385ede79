using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ProfileGrains.Browser.Tests.Infrastructure;

/// <summary>What the tests keep of a page: screenshots (for the README) and its accessibility check.</summary>
public static class PageEvidence
{
    /// <summary>PROFILEGRAINS_SCREENSHOTS, or a folder beside the test binaries.</summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("PROFILEGRAINS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
    }

    /// <summary>
    /// axe-core over the page as it stands (labels, contrast, landmarks, names of buttons and links): no violation of
    /// serious or critical impact.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(Describe)));
    }

    /// <summary>Nothing wider than the window: a phone-sized screen never scrolls sideways (the culprits are named).</summary>
    public static async Task AssertNoSidewaysScrollingAsync(IPage page)
    {
        var overflowing = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 5)
              .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`)
            """);
        var width = await page.EvaluateAsync<int>("window.innerWidth");
        Assert.True(overflowing.Length == 0, $"wider than the {width} px window: {string.Join(", ", overflowing)}");
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Id} ({violation.Impact}): {violation.Help} — {string.Join("; ", violation.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}";
}
