using System.CommandLine;
using ProfileGrains.Cli.Audience;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli;

internal static partial class CliCommands
{
    private static Command SegmentExportCommand(Argument<string> segmentId)
    {
        var fields = new Option<string>("--fields") { Description = "Comma-separated: " + string.Join(", ", AudienceFields.All.Keys), DefaultValueFactory = _ => string.Join(',', AudienceFields.Default) };
        var format = new Option<string>("--format") { DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var consent = new Option<string?>("--consent") { Description = "Only members whose marketing consent on this channel is granted" };
        consent.AcceptOnlyFromAmong([.. ContactChannels.Keys]);
        var output = new Option<FileInfo?>("--out") { Description = "File to write (standard output when omitted)" };
        var command = new Command("export", "Write a segment's members with chosen fields, CSV or JSON Lines (scope read)") { segmentId, fields, format, consent, output };
        command.SetAction(async (parse, ct) =>
        {
            using var channel = OpenChannel(parse);
            var export = new AudienceExport(new ProfileService.ProfileServiceClient(channel), new SegmentService.SegmentServiceClient(channel));
            var path = parse.GetValue(output);
            await using var writer = path is null ? null : new StreamWriter(path.FullName);
            var (members, written) = await export.RunAsync(
                parse.GetRequiredValue(segmentId),
                [.. parse.GetRequiredValue(fields).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                writer ?? Console.Out,
                parse.GetRequiredValue(format) == "csv",
                parse.GetValue(consent) is { } c ? ContactChannels[c] : null,
                ct: ct);
            await Console.Error.WriteLineAsync($"{written} of {members} members written");
            return 0;
        });
        return command;
    }

    private static Command SegmentSyncCommand(Argument<string> segmentId)
    {
        var to = new Option<string>("--to") { Description = "A JSON Lines file (file:PATH) or a webhook URL (http:// or https://) receiving each change", Required = true };
        var cursor = new Option<FileInfo>("--cursor") { Description = "Where the last delivered change's cursor is kept (a restart resumes after it)", Required = true };
        var command = new Command("sync", "Deliver a segment's members, then every enter and exit, to a file or a webhook, resuming after restarts (scope read)") { segmentId, to, cursor };
        command.SetAction(async (parse, ct) =>
        {
            using var channel = OpenChannel(parse);
            using var http = new HttpClient();
            var target = parse.GetRequiredValue(to);
            IAudienceSink sink = target.StartsWith("file:", StringComparison.Ordinal)
                ? new FileAudienceSink(target[5..])
                : new WebhookAudienceSink(http, new Uri(target));
            try
            {
                await new AudienceSync(new SegmentService.SegmentServiceClient(channel), sink, parse.GetRequiredValue(cursor).FullName).RunAsync(parse.GetRequiredValue(segmentId), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C: the cursor of the last change delivered is saved.
            }

            return 0;
        });
        return command;
    }
}
