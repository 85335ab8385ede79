using System.Diagnostics;
using System.Text.RegularExpressions;
using Google.Rpc;
using Grpc.Core;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Import;

/// <summary>
/// Loads a file of customers or past events through the public API, with the same validation and identity rules as
/// live calls: streaming (one chunk of rows in memory whatever the file's size), customers identified with bounded
/// concurrency, events sent a thousand per TrackBatch; every refused row (or refused identifier or trait) written to
/// the reject file with its line and reason; a checkpoint after every chunk, so an interrupted import resumes where it
/// stopped; and safe to run again (Identify and event ids are idempotent).
/// </summary>
public sealed partial class BulkImport(ProfileService.ProfileServiceClient client, ImportOptions options)
{
    public async Task<ImportSummary> RunAsync(ImportKind kind, string path, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var checkpoint = new ImportCheckpoint(options.RejectPath + ".checkpoint");
        var resumeAfter = options.Restart ? 0 : checkpoint.Read();
        using var rejects = new RejectFile(options.RejectPath, append: resumeAfter > 0);
        var total = new FileInfo(path).Length;
        long read = 0, imported = 0, rejected = 0, skipped = 0, bytes = 0;
        var chunks = new List<List<ImportRow>>();
        var chunk = new List<ImportRow>(options.ChunkSize);

        // Several chunks go at once (events: one TrackBatch each; customers: one chunk's Identify calls at a time), then
        // the checkpoint moves past all of them: a resumed run may redo a few chunks, which the engine recognises.
        async Task Flush()
        {
            if (chunk.Count > 0)
            {
                chunks.Add(chunk);
                chunk = new List<ImportRow>(options.ChunkSize);
            }

            if (chunks.Count == 0)
            {
                return;
            }

            var refused = kind == ImportKind.Customers
                ? await Customers(chunks[0], rejects, ct)
                : (await Task.WhenAll(chunks.Select(c => Events(c, ct)))).Sum(outcome => Record(outcome, rejects));
            var rows = chunks.Sum(c => c.Count);
            rejected += refused;
            imported += rows - refused;
            rejects.Flush();
            checkpoint.Write(chunks[^1][^1].Line);
            chunks.Clear();
            progress?.Report(new ImportProgress(imported + rejected, rejected, bytes, total));
        }

        await foreach (var row in ImportReader.Read(kind, path, position => bytes = position, ct))
        {
            read++;
            if (row.Line <= resumeAfter)
            {
                skipped++;
                continue;
            }

            chunk.Add(row);
            if (chunk.Count == options.ChunkSize)
            {
                chunks.Add(chunk);
                chunk = new List<ImportRow>(options.ChunkSize);
                if (kind == ImportKind.Customers || chunks.Count == options.BatchesInFlight)
                {
                    await Flush();
                }
            }
        }

        await Flush();
        checkpoint.Clear();
        return new ImportSummary(read, imported, rejected, skipped, clock.Elapsed);
    }

    /// <summary>One Identify per row, <see cref="ImportOptions.Concurrency"/> at a time; returns how many rows were refused whole.</summary>
    private async Task<int> Customers(List<ImportRow> rows, RejectFile rejects, CancellationToken ct)
    {
        var outcomes = new (string Field, string Reason)[]?[rows.Count];
        var refusedWhole = new bool[rows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var row = rows[i];
            if (row.Request is not IdentifyRequest request)
            {
                outcomes[i] = [(row.Field ?? "line", row.Error ?? "unreadable")];
                refusedWhole[i] = true;
                return;
            }

            try
            {
                var response = await WithRetries(() => client.IdentifyAsync(request, cancellationToken: token).ResponseAsync, token);
                var parts = response.IdentifierOutcomes.Where(o => o.Outcome is IdentifierOutcome.Types.Outcome.Rejected or IdentifierOutcome.Types.Outcome.NotLinked)
                    .Select(o => (o.Field.Length > 0 ? o.Field : "identifiers", o.Reason))
                    .Concat(response.RejectedTraits.Select(t => (t.Field, t.Reason)))
                    .ToArray();
                outcomes[i] = parts.Length > 0 ? parts : null;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.NotFound)
            {
                outcomes[i] = Violations(e).ToArray();
                refusedWhole[i] = true;
            }
        });

        for (var i = 0; i < rows.Count; i++)
        {
            foreach (var (field, reason) in outcomes[i] ?? [])
            {
                rejects.Add(rows[i].Line, field, reason);
            }
        }

        return refusedWhole.Count(r => r);
    }

    /// <summary>
    /// TrackBatch per chunk: a batch refused for some of its events is sent again without them, each refused event
    /// written with the reason the engine gave for it (its fields are named events[i]…, i its place in the batch).
    /// </summary>
    private async Task<(int Refused, List<(long Line, string Field, string Reason)> Rejects)> Events(List<ImportRow> rows, CancellationToken ct)
    {
        var refused = 0;
        var rejects = new List<(long Line, string Field, string Reason)>();
        var pending = new List<ImportRow>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Request is TrackRequest)
            {
                pending.Add(row);
            }
            else
            {
                rejects.Add((row.Line, row.Field ?? "line", row.Error ?? "unreadable"));
                refused++;
            }
        }

        while (pending.Count > 0)
        {
            var batch = new TrackBatchRequest();
            batch.Events.AddRange(pending.Select(r => ((TrackRequest)r.Request!).Event));
            try
            {
                await WithRetries(() => client.TrackBatchAsync(batch, cancellationToken: ct).ResponseAsync, ct);
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                var byEvent = Violations(e)
                    .Select(v => (Match: EventIndex().Match(v.Field), v.Field, v.Reason))
                    .Where(v => v.Match.Success)
                    .GroupBy(v => int.Parse(v.Match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                    .Where(g => g.Key < pending.Count)
                    .ToDictionary(g => g.Key, g => g.Select(v => (Field: v.Field[(v.Match.Length + 1)..], v.Reason)).ToList());
                if (byEvent.Count == 0)
                {
                    throw;
                }

                foreach (var (index, violations) in byEvent.OrderBy(kv => kv.Key))
                {
                    foreach (var (field, reason) in violations)
                    {
                        rejects.Add((pending[index].Line, field, reason));
                    }
                }

                refused += byEvent.Count;
                pending = [.. pending.Where((_, i) => !byEvent.ContainsKey(i))];
            }
        }

        return (refused, rejects);
    }

    private static int Record((int Refused, List<(long Line, string Field, string Reason)> Rejects) outcome, RejectFile file)
    {
        foreach (var (line, field, reason) in outcome.Rejects.OrderBy(r => r.Line))
        {
            file.Add(line, field, reason);
        }

        return outcome.Refused;
    }

    /// <summary>UNAVAILABLE means nothing was applied and the same call may be retried: it is, a few times, with a pause.</summary>
    private static async Task<T> WithRetries<T>(Func<Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }

    private static IEnumerable<(string Field, string Reason)> Violations(RpcException e)
    {
        var violations = e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        return violations is { Count: > 0 } ? violations.Select(v => (v.Field, v.Description)) : [("request", $"{e.StatusCode}: {e.Status.Detail}")];
    }

    [GeneratedRegex(@"^events\[(\d+)\]")]
    private static partial Regex EventIndex();
}
