using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProfileGrains.LoadTests;

/// <summary>The `quality` results as JSON and Markdown, beside the other commands' in --out.</summary>
public static class QualityReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static (string Json, string Markdown) Write(QualityReport report, string directory) =>
        ReportFiles.Write(directory, $"{report.StartedAt:yyyyMMdd-HHmmss}-quality-{report.World.People}", JsonSerializer.Serialize(report, Json), Markdown(report));

    private static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double v) => F(v * 100, "0.000") + " %";

    public static string Markdown(QualityReport r)
    {
        var sb = new StringBuilder();
        var w = r.World;
        var f = r.Figures;
        sb.AppendLine(CultureInfo.InvariantCulture, $"## ProfileGrains identity quality: `quality` ({r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Targets: {string.Join(", ", r.Targets)}; {string.Join("; ", r.Settings.Select(kv => $"{kv.Key} {kv.Value}"))}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"World: {N(w.People)} people seen {N(w.Observations)} times ({string.Join(", ", w.ByChannel.Select(kv => $"{kv.Key} {N(kv.Value)}"))}) + {N(w.JunkObservations)} observations carrying a shared junk identifier ({string.Join(", ", w.JunkValues)}); " +
            $"{N(w.Sent)} Identify calls sent, {N(w.Acknowledged)} acknowledged, {N(w.Refused)} refused, {N(w.Uncertain)} uncertain; " +
            $"{N(w.RealIdentifiers)} real identifiers in {N(w.Spellings)} distinct spellings read back, {N(f.Customers)} customers found.");
        sb.AppendLine();

        sb.AppendLine("| phase | operation | calls | errors | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var phase in r.Phases)
        {
            foreach (var o in phase.Ops)
            {
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {phase.Name} | {o.Op} | {N(o.Calls)} | {N(o.Failed)} | {N(o.Throughput)} | {F(o.P50Ms, "0.000")} | {F(o.P90Ms, "0.000")} | {F(o.P99Ms, "0.000")} | {F(o.P999Ms, "0.000")} | {F(o.MaxMs, "0.0")} |");
            }
        }

        sb.AppendLine();
        sb.AppendLine("| measure | value | target | verdict |");
        sb.AppendLine("|---|--:|--:|---|");
        foreach (var c in r.Checks)
        {
            var verdict = c.Met ? "met" : c.Enforced ? "**NOT MET**" : "not met";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {c.Measure} | {c.Display} | {c.Target} | {verdict}{(c.Enforced ? string.Empty : " (reported only)")} |");
        }

        foreach (var (type, pc) in f.FormatVariantRecallByType)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| &nbsp;&nbsp;format variants, {type} | {Pct(pc.Recall)} ({N(pc.Together)} / {N(pc.Pairs)} pairs) | 100 % | |");
        }

        foreach (var (kind, pc) in f.CrossRecallByKind)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| &nbsp;&nbsp;cross-identifier, {kind} | {Pct(pc.Recall)} ({N(pc.Together)} / {N(pc.Pairs)} pairs) | | |");
        }

        foreach (var (type, pc) in f.UnsentSpellings.ByType)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| &nbsp;&nbsp;lookup by spellings never sent, {type} | {Pct(pc.Recall)} ({N(pc.Together)} / {N(pc.Pairs)} lookups) | 100 % | |");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"| people in collapsed profiles | {N(f.PeopleInCollapsedProfiles)} | 0 | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| split people (2+ customers) | {N(f.SplitPeople)} of {N(w.People)}; {N(f.SplitPeopleLinkable)} split within identifiers their observations link (a not-found identifier counts as apart) | | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| values split across spellings | {N(f.VariantSplits)} | 0 | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| values held under 2+ spellings in one profile | {N(f.MultiSpellingValues)} in {N(f.MultiSpellingProfiles)} profiles{(f.MultiSpellingByType.Count > 0 ? " (" + string.Join(", ", f.MultiSpellingByType.Select(kv => $"{kv.Key} {N(kv.Value)}")) + ")" : string.Empty)} | 0 | |");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| conflicts reported by Identify | {N(f.ConflictsReported)}: {N(f.ConflictsOnJunk)} on junk identifiers, {N(f.ConflictsSamePerson)} owned by another profile of the same person, {N(f.ConflictsOtherPerson)} owned by another person's profile, {N(f.ConflictsOverLimit)} over a limit, {N(f.ConflictsUnknownOwner)} unknown owner | | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| merges reported by Identify | {N(f.MergesReported)}, {N(f.MergesOnJunkObservations)} of them on observations carrying a junk identifier | | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| largest profile | {N(f.LargestProfileIdentifiers)} identifiers | | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| identifiers resolving to a profile that does not list them | {N(f.ResolvedButNotListed)} | 0 | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| identifiers not found / read errors | {N(f.NotFound)} / {N(f.ReadErrors)} | 0 | |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| lookups by spellings never sent | {N(f.UnsentSpellings.Probes)}: {N(f.UnsentSpellings.SameCustomer)} same customer, {N(f.UnsentSpellings.NotFound)} not found, {N(f.UnsentSpellings.OtherCustomer)} another customer, {N(f.UnsentSpellings.Undetermined)} undetermined | | |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Pairs (every distinct spelling of a real identifier is one item): {N(f.TruePositivePairs)} true positive, {N(f.FalsePositivePairs)} false positive, {N(f.FalseNegativePairs)} false negative; " +
            $"{N(f.FormatVariantPairs)} format-variant pairs, {N(f.CrossPairs)} cross-identifier pairs linked by the observations, " +
            $"{N(f.UnlinkablePairs)} pairs of one person that no observation links (not counted in recall; {N(f.UnlinkablePairsTogether)} of them ended in one customer anyway).");
        sb.AppendLine();

        if (r.Collapsed.Count > 0)
        {
            sb.AppendLine("| collapsed customer | true people | identifiers | junk identifiers it owns |");
            sb.AppendLine("|---|--:|--:|---|");
            foreach (var c in r.Collapsed.Take(20))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {c.CustomerId} | {c.People.Count} (#{string.Join(", #", c.People.Take(8))}{(c.People.Count > 8 ? ", …" : string.Empty)}) | {c.Identifiers} | {string.Join(", ", c.JunkIdentifiers)} |");
            }

            if (r.Collapsed.Count > 20)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\n... and {r.Collapsed.Count - 20} more (see the JSON file).");
            }

            sb.AppendLine();
        }

        if (r.JunkOwners.Count > 0)
        {
            sb.AppendLine("Junk identifiers are owned by: " + string.Join("; ", r.JunkOwners.Select(kv => $"{kv.Key} → {kv.Value}")));
            sb.AppendLine();
        }

        foreach (var sample in r.VariantSplitSamples.Take(10))
        {
            sb.AppendLine("- spellings split: " + sample);
        }

        foreach (var sample in f.UnsentSpellings.Misses.Take(10))
        {
            sb.AppendLine("- lookup missed: " + sample);
        }

        foreach (var sample in r.SplitSamples.Take(10))
        {
            sb.AppendLine("- person split: " + sample);
        }

        if (r.VariantSplitSamples.Count > 0 || r.SplitSamples.Count > 0 || f.UnsentSpellings.Misses.Count > 0)
        {
            sb.AppendLine();
        }

        foreach (var note in r.Notes)
        {
            sb.AppendLine("Note: " + note);
            sb.AppendLine();
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"Error rate {F(r.ErrorRate * 100, "0.000")}% (limit {F(r.MaxErrorRate * 100, "0.###")}%).");
        sb.AppendLine();
        sb.AppendLine(r.Failures.Count == 0 ? "Result: **PASS** (exit code 0)" : $"Result: **FAIL** (exit code {r.ExitCode}): " + string.Join("; ", r.Failures));
        return sb.ToString();
    }
}
