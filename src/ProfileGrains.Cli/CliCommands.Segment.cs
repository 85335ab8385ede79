using System.CommandLine;
using Grpc.Net.Client;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli;

internal static partial class CliCommands
{
    private static Command SegmentCommand()
    {
        var segmentId = new Argument<string>("segment-id");
        return new Command("segment", "Manage segments")
        {
            SegmentPutCommand(),
            SegmentListCommand(),
            SegmentCountCommand(segmentId),
            SegmentMembersCommand(segmentId),
            SegmentWatchCommand(segmentId),
            SegmentDeleteCommand(segmentId),
            SegmentExportCommand(segmentId),
            SegmentSyncCommand(segmentId),
        };
    }

    private static Command SegmentPutCommand()
    {
        var id = new Option<string>("--id") { Required = true };
        var name = new Option<string>("--name") { Required = true };
        var minOrders = new Option<long?>("--min-orders") { Description = "Members have at least this many orders" };
        var minSpend = new Option<decimal?>("--min-spend") { Description = "Members spent at least this much (in --currency)" };
        var currency = new Option<string>("--currency") { DefaultValueFactory = _ => "EUR" };
        var emailOptIn = new Option<bool>("--email-opt-in") { Description = "Members granted email consent" };
        var expression = new Option<string?>("--expression") { Description = "A rule in the rule language, e.g. \"count(purchase, 30d) >= 2 and consent.email == granted\"" };
        var put = new Command("put", "Create or update a segment whose conditions must all hold") { id, name, minOrders, minSpend, currency, emailOptIn, expression };
        put.SetAction((parse, ct) => Call(parse, async channel =>
        {
            var rule = new SegmentRule();
            if (parse.GetValue(minOrders) is { } orders)
            {
                rule.AllOf.Add(new Condition { OrderCount = new OrderCountCondition { Comparison = Comparison.Ge, Value = orders } });
            }

            if (parse.GetValue(minSpend) is { } spend)
            {
                rule.AllOf.Add(new Condition { Spend = new SpendCondition { CurrencyCode = parse.GetRequiredValue(currency), Comparison = Comparison.Ge, Amount = (double)spend } });
            }

            if (parse.GetValue(emailOptIn))
            {
                rule.AllOf.Add(new Condition { Consent = new ConsentCondition { Channel = ContactChannel.Email, Status = ConsentStatus.Granted } });
            }

            if (parse.GetValue(expression) is { } text)
            {
                rule.AllOf.Add(new Condition { Expression = text });
            }

            var segment = new Segment { SegmentId = parse.GetRequiredValue(id), Name = parse.GetRequiredValue(name), Rule = rule };
            return await new SegmentService.SegmentServiceClient(channel).PutSegmentAsync(new PutSegmentRequest { Segment = segment }, cancellationToken: ct);
        }));
        return put;
    }

    private static Command SegmentListCommand()
    {
        var list = new Command("list", "Every segment with its member count");
        list.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).ListSegmentsAsync(new ListSegmentsRequest(), cancellationToken: ct)));
        return list;
    }

    private static Command SegmentCountCommand(Argument<string> segmentId)
    {
        var count = new Command("count", "How many members a segment has") { segmentId };
        count.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = parse.GetRequiredValue(segmentId) }, cancellationToken: ct)));
        return count;
    }

    private static Command SegmentMembersCommand(Argument<string> segmentId)
    {
        var pageSize = new Option<int>("--page-size") { DefaultValueFactory = _ => 100 };
        var pageToken = new Option<string?>("--page-token");
        var members = new Command("members", "One page of a segment's members") { segmentId, pageSize, pageToken };
        members.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).ListSegmentMembersAsync(new ListSegmentMembersRequest
            {
                SegmentId = parse.GetRequiredValue(segmentId),
                PageSize = parse.GetValue(pageSize),
                PageToken = parse.GetValue(pageToken) ?? string.Empty,
            }, cancellationToken: ct)));
        return members;
    }

    private static Command SegmentDeleteCommand(Argument<string> segmentId)
    {
        var delete = new Command("delete", "Remove a segment and its membership") { segmentId };
        delete.SetAction((parse, ct) => Call(parse, async channel =>
            await new SegmentService.SegmentServiceClient(channel).DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = parse.GetRequiredValue(segmentId) }, cancellationToken: ct)));
        return delete;
    }

    private static Command SegmentWatchCommand(Argument<string> segmentId)
    {
        var cursor = new Option<string?>("--cursor") { Description = "Resume after this change's cursor" };
        var watch = new Command("watch", "Print enter/exit changes as they happen, until Ctrl+C") { segmentId, cursor };
        watch.SetAction(async (parse, ct) =>
        {
            using var channel = OpenChannel(parse);
            using var call = new SegmentService.SegmentServiceClient(channel).WatchSegment(
                new WatchSegmentRequest { SegmentId = parse.GetRequiredValue(segmentId), Cursor = parse.GetValue(cursor) ?? string.Empty }, cancellationToken: ct);
            try
            {
                while (await call.ResponseStream.MoveNext(ct))
                {
                    Console.WriteLine(Json.Format(call.ResponseStream.Current));
                }

                return 0;
            }
            catch (Exception e) when (e is OperationCanceledException || (e is Grpc.Core.RpcException r && r.StatusCode == Grpc.Core.StatusCode.Cancelled))
            {
                return 0;
            }
            catch (Grpc.Core.RpcException e)
            {
                Console.Error.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
                return 1;
            }
        });
        return watch;
    }
}
