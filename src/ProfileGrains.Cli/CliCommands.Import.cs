using System.CommandLine;
using System.Globalization;
using ProfileGrains.Cli.Import;
using ProfileGrains.Protos.V1;
using Spectre.Console;

namespace ProfileGrains.Cli;

internal static partial class CliCommands
{
    private static Command ImportCommand()
    {
        var kind = new Argument<string>("kind") { Description = "customers or events" };
        kind.AcceptOnlyFromAmong("customers", "events");
        var file = new Argument<FileInfo>("file") { Description = "A .csv file with a header, or JSON Lines (.jsonl): one protobuf JSON IdentifyRequest or Event per line" };
        var rejects = new Option<string?>("--rejects") { Description = "Where refused rows go, with line and reason (default: <file>.rejects.csv); its .checkpoint beside it makes a re-run resume" };
        var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 32, Description = "Identify calls in flight (customers)" };
        var restart = new Option<bool>("--restart") { Description = "Start from the first line even if an earlier run stopped half-way" };
        var command = new Command("import", "Load customers or past events from a file, streaming, through the same validation and identity rules as live calls") { kind, file, rejects, concurrency, restart };
        command.SetAction(async (parse, ct) =>
        {
            var input = parse.GetRequiredValue(file);
            if (!input.Exists)
            {
                Console.Error.WriteLine($"no such file: {input.FullName}");
                return 2;
            }

            var options = new ImportOptions(parse.GetValue(rejects) ?? input.FullName + ".rejects.csv", Concurrency: Math.Clamp(parse.GetValue(concurrency), 1, 256), Restart: parse.GetValue(restart));
            var importKind = parse.GetRequiredValue(kind) == "customers" ? ImportKind.Customers : ImportKind.Events;
            using var channel = OpenChannel(parse);
            var import = new BulkImport(new ProfileService.ProfileServiceClient(channel), options);
            ImportSummary summary;
            try
            {
                summary = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask(input.Name, maxValue: Math.Max(1, input.Length));
                        var started = DateTime.UtcNow;
                        var report = new Progress<ImportProgress>(p =>
                        {
                            task.Value = p.BytesRead;
                            var rate = p.Rows / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                            task.Description = string.Create(CultureInfo.InvariantCulture, $"{input.Name}: {p.Rows:N0} rows, {rate:N0}/s, {p.Rejected:N0} rejected");
                        });
                        var result = await import.RunAsync(importKind, input.FullName, report, ct);
                        task.Value = task.MaxValue;
                        return result;
                    });
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Imported:N0} imported, {summary.Rejected:N0} rejected (see {options.RejectPath}), {summary.Skipped:N0} skipped as done by an earlier run, in {summary.Elapsed.TotalSeconds:N1} s ({summary.RowsPerSecond:N0} rows/s)"));
            return summary.Rejected > 0 ? 1 : 0;
        });
        return command;
    }
}
