namespace ProfileGrains.Cli.Import;

/// <param name="ChunkSize">Rows per TrackBatch (events) or per round of Identify calls (customers).</param>
/// <param name="BatchesInFlight">Event batches sent at once.</param>
/// <param name="Concurrency">Identify calls in flight (customers).</param>
public sealed record ImportOptions(string RejectPath, int ChunkSize = 1000, int Concurrency = 32, bool Restart = false, int BatchesInFlight = 8);
