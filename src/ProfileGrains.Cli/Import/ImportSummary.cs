namespace ProfileGrains.Cli.Import;

/// <summary>
/// What an import did: rows read, imported (accepted or already there), rejected (each in the reject file with its
/// line and reason), skipped because an earlier run had done them, and the time it took.
/// </summary>
public sealed record ImportSummary(long Read, long Imported, long Rejected, long Skipped, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? (Imported + Rejected) / Elapsed.TotalSeconds : 0;
}
