using System.Globalization;
using System.Text;
using ProfileGrains.Cli.Import;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// Bulk import through the public API (pgctl import): a 100,000-row file with deliberate bad rows, every one in the
/// reject file at its line with its reason, nothing else refused; a second run changes nothing; an interrupted run
/// resumes after its checkpoint.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ImportTests(EngineFixture engine) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("profilegrains-import-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static Identifier EmailOf(string value) => new() { Type = IdentifierType.Email, Value = value };

    private static List<(long Line, string Field, string Reason)> Rejects(string path) =>
        [.. File.ReadLines(path).Skip(1).Select(l => l.Split(',', 3)).Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), p[1], p[2]))];

    /// <summary>100,000 events of 2,000 customers, with bad rows at known lines (the header is line 1).</summary>
    private (string Path, string[] Emails, Dictionary<long, string> BadLines) EventsFile(int rows)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var emails = Enumerable.Range(0, 2000).Select(i => $"import-{tag}-{i}@orange.fr").ToArray();
        var bad = new Dictionary<long, string>
        {
            [10] = "occurred_at",                       // not a date: refused while reading
            [500] = "type",                             // unknown type: refused while reading
            [2_000] = "identifiers",                    // the only identifier is not an e-mail: refused by the engine
            [50_000] = "purchase.total",                // a negative amount: refused by the engine
            [rows + 1] = "occurred_at",                 // in the future: refused by the engine
        };
        bad = bad.Where(kv => kv.Key <= rows + 1).ToDictionary();
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var path = Path.Combine(_directory.FullName, $"events-{tag}.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine("event_id,type,occurred_at,channel,email,order_id,total,currency,store_id,sku,category,path");
        for (var i = 0; i < rows; i++)
        {
            var line = i + 2L;
            var email = emails[i % emails.Length];
            var at = start.AddSeconds(i * 20).ToString("O", CultureInfo.InvariantCulture);
            var id = $"{tag}-{i}";
            writer.WriteLine(bad.GetValueOrDefault(line) switch
            {
                "occurred_at" when line == 10 => $"{id},page_view,yesterday,web,{email},,,,,,,/",
                "type" => $"{id},teleport,{at},web,{email},,,,,,,/",
                "identifiers" => $"{id},page_view,{at},web,not-an-email,,,,,,,/",
                "purchase.total" => $"{id},purchase,{at},store,{email},ORD-{id},-5,EUR,STORE-1,,,",
                "occurred_at" => $"{id},page_view,{DateTimeOffset.UtcNow.AddDays(2):O},web,{email},,,,,,,/",
                _ => (i % 10) switch
                {
                    0 => $"{id},purchase,{at},store,{email},ORD-{id},19.90,EUR,STORE-{i % 7},,,",
                    1 or 2 or 3 => $"{id},product_view,{at},web,{email},,,,,SKU-{i % 50},cat-{i % 5},",
                    _ => $"{id},page_view,{at},web,{email},,,,,,,/p/{i % 100}",
                },
            });
        }

        return (path, emails, bad);
    }

    [Fact]
    public async Task A_100_000_row_file_is_imported_with_every_bad_row_rejected_at_its_line_and_a_second_run_changes_nothing()
    {
        const int Rows = 100_000;
        var (path, emails, bad) = EventsFile(Rows);
        var rejectPath = path + ".rejects.csv";
        var import = new BulkImport(engine.Profiles, new ImportOptions(rejectPath));

        var first = await import.RunAsync(ImportKind.Events, path);

        Assert.Equal((Rows, Rows - bad.Count, bad.Count, 0L), (first.Read, first.Imported, first.Rejected, first.Skipped));
        var rejects = Rejects(rejectPath);
        Assert.Equal(bad.Keys.Order(), rejects.Select(r => r.Line).Distinct().Order());
        foreach (var (line, field, _) in rejects)
        {
            Assert.StartsWith(bad[line].Split('.')[0], field.Replace("event.", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.False(File.Exists(rejectPath + ".checkpoint"));
        var sample = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(EmailOf(emails[7])) });
        var before = Count(sample, EventType.PageView, CounterWindow.Lifetime) + Count(sample, EventType.ProductView, CounterWindow.Lifetime) + Count(sample, EventType.Purchase, CounterWindow.Lifetime);
        Assert.Equal(Rows / emails.Length, before);

        // Run again from the first line: every event is a duplicate, the same rows are rejected, nothing changes.
        var second = await new BulkImport(engine.Profiles, new ImportOptions(rejectPath, Restart: true)).RunAsync(ImportKind.Events, path);
        Assert.Equal((Rows - bad.Count, bad.Count), (second.Imported, second.Rejected));
        var again = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(EmailOf(emails[7])) });
        Assert.Equal(sample.Transactions, again.Transactions);
        Assert.Equal(sample.Counters, again.Counters);
    }

    [Fact]
    public async Task An_interrupted_import_resumes_after_its_checkpoint()
    {
        var (path, _, bad) = EventsFile(20_000);
        var rejectPath = path + ".rejects.csv";
        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Rows >= 5_000)
            {
                stop.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BulkImport(engine.Profiles, new ImportOptions(rejectPath)).RunAsync(ImportKind.Events, path, progress, stop.Token));
        var done = new ImportCheckpoint(rejectPath + ".checkpoint").Read();
        Assert.InRange(done, 5_000, 19_000);

        var resumed = await new BulkImport(engine.Profiles, new ImportOptions(rejectPath)).RunAsync(ImportKind.Events, path);

        Assert.Equal(done - 1, resumed.Skipped); // every data line up to the checkpoint (line 1 is the header)
        Assert.Equal(bad.Keys.Order(), Rejects(rejectPath).Select(r => r.Line).Distinct().Order());
    }

    [Fact]
    public async Task Customers_are_loaded_with_traits_and_consents_and_refused_rows_say_why()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(_directory.FullName, $"customers-{tag}.csv");
        var lines = new List<string> { "email,phone,loyalty_id,given_name,family_name,birth_date,gender,postal_code,country,consent_email,attr_shoe_size" };
        for (var i = 0; i < 300; i++)
        {
            lines.Add($"cust-{tag}-{i}@orange.fr,,LOY{tag.ToUpperInvariant()}{i},Ana{i},Martin,1990-0{1 + (i % 9)}-15,female,7500{i % 10},FR,granted,{36 + (i % 8)}");
        }

        lines[50] = $"cust-{tag}-x@orange.fr,,,Bad,Date,15/03/1990,female,,,,";          // line 51: refused while reading
        lines[100] = "not-an-email,,,No,Identifier,,,,,,";                                 // line 101: the engine refuses it
        lines[150] = $"cust-{tag}-y@orange.fr,12,,Ok,Phone,,,,,,";                         // line 151: the phone is refused, the e-mail kept
        await File.WriteAllLinesAsync(path, lines);

        var summary = await new BulkImport(engine.Profiles, new ImportOptions(path + ".rejects.csv")).RunAsync(ImportKind.Customers, path);

        Assert.Equal((300L, 298L, 2L), (summary.Read, summary.Imported, summary.Rejected));
        var rejects = Rejects(path + ".rejects.csv");
        Assert.Equal([51L, 101L, 151L], rejects.Select(r => r.Line).Distinct().Order());
        Assert.Contains(rejects, r => r.Line == 51 && r.Field == "birth_date");
        Assert.Contains(rejects, r => r.Line == 151 && r.Field.Contains("identifiers", StringComparison.Ordinal));
        var ana = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(EmailOf($"cust-{tag}-7@orange.fr")) });
        Assert.Equal(("Ana7", "FR", "43"), (ana.Traits.Name.GivenName, ana.Traits.Addresses[0].CountryCode, ana.Traits.CustomAttributes["shoe_size"]));
        Assert.Equal(ConsentStatus.Granted, Assert.Single(ana.Traits.Consents).Status);
        var phoneKept = await engine.Profiles.LookupAsync(new LookupRequest { Identifier = EmailOf($"cust-{tag}-y@orange.fr") });
        Assert.False(string.IsNullOrEmpty(phoneKept.CustomerId));
    }

    /// <summary>Progress reported on the importer's own thread, so a test can stop it at a known point.</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
