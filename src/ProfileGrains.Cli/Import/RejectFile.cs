using System.Globalization;
using CsvHelper;

namespace ProfileGrains.Cli.Import;

/// <summary>
/// Every refused row (or refused part of a row: an identifier, a trait) with its line number, the field and the
/// reason, as CSV. Appended to on a resumed run, so it always covers the whole file.
/// </summary>
public sealed class RejectFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;

    public RejectFile(string path, bool append)
    {
        var exists = append && File.Exists(path) && new FileInfo(path).Length > 0;
        _writer = new StreamWriter(path, append);
        _csv = new CsvWriter(_writer, CultureInfo.InvariantCulture);
        if (!exists)
        {
            _csv.WriteField("line");
            _csv.WriteField("field");
            _csv.WriteField("reason");
            _csv.NextRecord();
        }
    }

    public void Add(long line, string field, string reason)
    {
        _csv.WriteField(line);
        _csv.WriteField(field);
        _csv.WriteField(reason);
        _csv.NextRecord();
    }

    public void Flush() => _writer.Flush();

    public void Dispose()
    {
        _csv.Dispose();
        _writer.Dispose();
    }
}
