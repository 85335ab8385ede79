using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>
/// Draws a uniform sample of customers from the directory (every customer when there are no more than asked), asks each
/// for its <see cref="CustomerInsight"/> a few at a time, and adds them up with the cluster's activity.
/// </summary>
[StatelessWorker, GrainType("insight")]
public sealed class InsightGrain(ICustomerDirectory directory, SegmentRulesCache rules, IOptions<ProfileGrainsOptions> options) : Grain, IInsightGrain
{
    public const int MaxSampleSize = 20_000;

    /// <summary>Customers asked at once: enough to read 2,000 in a few tens of milliseconds, few enough to leave room for traffic.</summary>
    private const int Concurrency = 32;

    public async Task<CustomerBaseView> Describe(int sampleSize, SegmentDefinition? probe)
    {
        sampleSize = Math.Clamp(sampleSize, 1, MaxSampleSize);
        var activity = GrainFactory.GetGrain<IEngineActivityGrain>(0).Get();
        var listed = await directory.CountAsync();
        var everyone = listed <= sampleSize;
        // The directory also lists records merged into another (and, for a moment, erased ones): they answer no
        // insight. A few more are drawn than needed so that the sample still holds sampleSize live customers.
        var wanted = sampleSize + (sampleSize / 5) + 10;
        var drawn = everyone ? await Everyone(sampleSize) : await directory.SampleAsync(DrawFraction(wanted, listed), wanted);
        // Prepared once here: customers on this silo receive it as it is (an immutable parameter is not copied).
        probe = probe is null ? null : rules.Prepare(probe);

        using var slots = new SemaphoreSlim(Concurrency);
        var insights = await Task.WhenAll(drawn.Select(async customerId =>
        {
            await slots.WaitAsync();
            try
            {
                return await GrainFactory.GetGrain<ICustomerGrain>(customerId).GetInsight(probe);
            }
            catch (Exception e) when (e is StorageUnavailableException or TimeoutException or OrleansException)
            {
                // A customer that cannot answer now (reloading, storage down) is left out of the sample, not the whole answer.
                return null;
            }
            finally
            {
                slots.Release();
            }
        }));

        var live = insights.OfType<CustomerInsight>().ToList();
        var tally = new CustomerBaseTally();
        foreach (var insight in live.Take(sampleSize))
        {
            tally.Add(insight);
        }

        // Read in full, the live records are the customers; sampled, their share of the draw scales the directory's count.
        var customers = everyone || drawn.Count == 0 ? live.Count : (long)Math.Round((double)listed * live.Count / drawn.Count);
        var figures = tally.Figures(Math.Max(customers, Math.Min(live.Count, sampleSize)));
        return new CustomerBaseView(figures, await activity);
    }

    /// <summary>
    /// A little more than the share of <paramref name="wanted"/> (three standard deviations and ten customers over): the
    /// draw then almost never falls short, and the directory keeps the lowest ranks of the excess, which stays uniform.
    /// </summary>
    private static double DrawFraction(int wanted, long population) =>
        Math.Min(1.0, (wanted + (3 * Math.Sqrt(wanted)) + 10) / population);

    private async Task<IReadOnlyList<string>> Everyone(int max)
    {
        var all = new List<string>();
        string? after = null;
        while (all.Count < max)
        {
            var page = await directory.ListAsync(after, Math.Min(options.Value.BackfillPageSize, max - all.Count));
            all.AddRange(page);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1];
        }

        return all;
    }
}
