using System.Globalization;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.LoadTests;

/// <summary>
/// Synthetic segments of the kinds a retailer's marketing team defines (purchase frequency, spend, browsing without
/// buying, consent, RFM cells, lapsed buyers), each kind with its own thresholds so that no two rules are the same:
/// what `--segments N` puts before a run to measure how the cost of a change grows with the number of segments.
/// </summary>
public static class LoadSegments
{
    private static readonly string[] Categories = ["chaussures", "sport", "beaute", "maison", "electronique", "jouets"];
    private static readonly string[] Cells = ["champions", "loyal", "potential_loyalist", "new", "at_risk", "hibernating", "lost"];

    /// <summary>The rule of segment <paramref name="index"/>: the kind cycles, the threshold grows with each round.</summary>
    public static string Rule(int index)
    {
        var round = (index / 10) + 1;
        string Text(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        return (index % 10) switch
        {
            0 => Text($"count(purchase, 30d) >= {round}"),
            1 => Text($"spend(EUR) > {round * 50}"),
            2 => Text($"count(product_view, 7d) >= {round} and count(purchase, 7d) == 0"),
            3 => Text($"count(page_view, 24h) >= {round}"),
            4 => Text($"orders >= {round} and consent.email == granted"),
            5 => Text($"\"{Categories[round % Categories.Length]}\" in interests and count(product_view, 30d) >= {round}"),
            6 => Text($"days_since(last_purchase) >= {round * 7}"),
            7 => Text($"rfm == \"{Cells[round % Cells.Length]}\""),
            8 => Text($"count(add_to_cart, 24h) >= {round} and count(purchase, 24h) == 0"),
            _ => Text($"value > {round * 100} and churn_risk >= 0.{round % 10}"),
        };
    }

    public static string Id(int index) => $"load-{index:D4}";

    /// <summary>Puts segments 0..count-1 (an existing one with the same rule is left as it is: a new version would back-fill).</summary>
    public static async Task PutAsync(Clients clients, int count, TimeSpan timeout, CancellationToken ct)
    {
        var existing = (await clients.Segments.ListSegmentsAsync(new ListSegmentsRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: ct)).Segments
            .ToDictionary(s => s.SegmentId, StringComparer.Ordinal);
        var put = 0;
        for (var i = 0; i < count; i++)
        {
            var rule = Rule(i);
            if (existing.TryGetValue(Id(i), out var known) && known.Rule.AllOf.Count == 1 && known.Rule.AllOf[0].Expression == rule)
            {
                continue;
            }

            var segment = new Segment { SegmentId = Id(i), Name = $"load test {i}", Rule = new SegmentRule { AllOf = { new Condition { Expression = rule } } } };
            try
            {
                await clients.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = segment }, deadline: DateTime.UtcNow + timeout, cancellationToken: ct);
                put++;
            }
            catch (RpcException e)
            {
                throw new InvalidOperationException($"segment {Id(i)} ({rule}) was refused: {e.StatusCode} {e.Status.Detail}", e);
            }
        }

        Progress.Line($"segments: {count} defined ({put} put now, {count - put} already there)");
    }
}
