using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace ProfileGrains.LoadTests;

/// <summary>
/// Once a second: calls, current rate, errors. A live Spectre table on a terminal; plain lines otherwise (CI, pipes),
/// so logs stay readable.
/// </summary>
public static class Progress
{
    public static bool Plain { get; set; } = Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task<T> ShowAsync<T>(string label, Metrics metrics, TimeSpan expected, Task<T> work)
    {
        var started = Stopwatch.GetTimestamp();
        var lastTick = started;

        string[] Row()
        {
            var now = Stopwatch.GetTimestamp();
            var point = metrics.Tick(Stopwatch.GetElapsedTime(started, now).TotalSeconds, Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds);
            lastTick = now;
            return
            [
                label,
                expected > TimeSpan.Zero ? $"{point.AtSeconds:0.0}s / {expected.TotalSeconds:0.#}s" : $"{point.AtSeconds:0.0}s",
                metrics.Calls.ToString("N0", CultureInfo.InvariantCulture),
                point.PerSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s",
                $"{point.P50Ms:0.00} / {point.P99Ms:0.00} / {point.MaxMs:0.0}",
                metrics.Failed.ToString("N0", CultureInfo.InvariantCulture),
                metrics.Events > 0 ? metrics.Events.ToString("N0", CultureInfo.InvariantCulture) : "-",
            ];
        }

        if (Plain)
        {
            while (await Task.WhenAny(work, Task.Delay(1000)) != work)
            {
                var r = Row();
                Console.WriteLine($"[{r[0]}] {r[1]}  calls={r[2]}  rate={r[3]}  p50/p99/max(1s)={r[4]} ms  errors={r[5]}  events={r[6]}");
            }

            var last = Row();
            Console.WriteLine($"[{last[0]}] done in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s  calls={last[2]}  errors={last[5]}  events={last[6]}");
            return await work;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "phase", "elapsed", "calls", "rate (1s)", "p50 / p99 / max ms (1s)", "errors", "events" })
        {
            table.AddColumn(column);
        }

        table.AddRow(Row());
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async ctx =>
        {
            while (await Task.WhenAny(work, Task.Delay(1000)) != work)
            {
                var r = Row();
                for (var c = 0; c < r.Length; c++)
                {
                    table.Rows.Update(0, c, new Text(r[c]));
                }

                ctx.Refresh();
            }

            var final = Row();
            final[1] = $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s (done)";
            final[3] = "-";
            final[4] = "-";
            for (var c = 0; c < final.Length; c++)
            {
                table.Rows.Update(0, c, new Text(final[c]));
            }

            ctx.Refresh();
        });
        return await work;
    }

    public static void Line(string text)
    {
        if (Plain)
        {
            Console.WriteLine(text);
        }
        else
        {
            AnsiConsole.MarkupLine("[grey]" + Markup.Escape(text) + "[/]");
        }
    }
}
