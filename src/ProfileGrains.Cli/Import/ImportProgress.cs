namespace ProfileGrains.Cli.Import;

/// <summary>Where an import stands: rows done (imported or rejected), rows rejected, bytes of the file read.</summary>
public readonly record struct ImportProgress(long Rows, long Rejected, long BytesRead, long BytesTotal);
