using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using Google.Protobuf;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli.Import;

/// <summary>
/// Reads an input file row by row, never whole: JSON Lines (each line the protobuf JSON of an IdentifyRequest or of an
/// Event) or CSV with a header (<see cref="CustomerColumns"/>, <see cref="EventColumns"/>). Line numbers are the
/// file's own (the CSV header is line 1), so a reject points at the line to fix.
/// </summary>
public static class ImportReader
{
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    public static async IAsyncEnumerable<ImportRow> Read(ImportKind kind, string path, Action<long> bytesRead, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var text = new StreamReader(stream);
        var rows = IsCsv(path) ? Csv(kind, text) : JsonLines(kind, text);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            bytesRead(stream.Position);
            yield return row;
        }

        await Task.CompletedTask;
    }

    private static IEnumerable<ImportRow> JsonLines(ImportKind kind, StreamReader text)
    {
        var line = 0L;
        while (text.ReadLine() is { } json)
        {
            line++;
            if (string.IsNullOrWhiteSpace(json))
            {
                continue;
            }

            ImportRow row;
            try
            {
                row = new ImportRow(line, kind == ImportKind.Customers ? Json.Parse<IdentifyRequest>(json) : new TrackRequest { Event = Json.Parse<Event>(json) });
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
            {
                row = new ImportRow(line, null, "line", "not the protobuf JSON of " + (kind == ImportKind.Customers ? "an IdentifyRequest" : "an Event") + ": " + e.Message);
            }

            yield return row;
        }
    }

    private static IEnumerable<ImportRow> Csv(ImportKind kind, StreamReader text)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
            BadDataFound = null,
            MissingFieldFound = null,
        };
        using var csv = new CsvReader(text, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            yield break;
        }

        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var known = kind == ImportKind.Customers ? CustomerColumns.IsKnown : (Func<string, bool>)EventColumns.IsKnown;
        if (columns.FirstOrDefault(c => !known(c)) is { } unknown)
        {
            throw new InvalidDataException($"unknown column '{unknown}' (known: {(kind == ImportKind.Customers ? CustomerColumns.Description : EventColumns.Description)})");
        }

        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                if (csv.TryGetField<string>(i, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    values[columns[i]] = value.Trim();
                }
            }

            ImportRow row;
            try
            {
                row = new ImportRow(line, kind == ImportKind.Customers ? CustomerColumns.ToRequest(values) : new TrackRequest { Event = EventColumns.ToEvent(values) });
            }
            catch (ImportFieldException e)
            {
                row = new ImportRow(line, null, e.Field, e.Message);
            }

            yield return row;
        }
    }
}
