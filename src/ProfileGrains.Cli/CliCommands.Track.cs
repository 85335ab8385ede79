using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Protos.V1;

namespace ProfileGrains.Cli;

internal static partial class CliCommands
{
    private static Command TrackCommand()
    {
        var eventId = new Option<string?>("--event-id") { Description = "Idempotency key; a new one when omitted" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "When it happened (ISO 8601); now when omitted" };
        var channelOption = new Option<string>("--channel") { DefaultValueFactory = _ => "web" };
        channelOption.AcceptOnlyFromAmong("web", "app", "store", "call-centre", "email");

        var command = new Command("track", "Send one event");
        AddIdentifierOptions(command, recursive: true);
        eventId.Recursive = true;
        at.Recursive = true;
        channelOption.Recursive = true;
        command.Add(eventId);
        command.Add(at);
        command.Add(channelOption);
        foreach (var payload in PayloadCommands(Track))
        {
            command.Add(payload);
        }

        return command;

        Task<int> Track(ParseResult parse, CancellationToken ct, EventType type, Action<Event> payload) => Call(parse, async channel =>
        {
            var e = new Event
            {
                EventId = parse.GetValue(eventId) ?? Guid.NewGuid().ToString("N"),
                Type = type,
                OccurredAt = Timestamp.FromDateTimeOffset(parse.GetValue(at) ?? DateTimeOffset.UtcNow),
                Channel = parse.GetValue(channelOption) switch
                {
                    "app" => Channel.App,
                    "store" => Channel.Store,
                    "call-centre" => Channel.CallCentre,
                    "email" => Channel.Email,
                    _ => Channel.Web,
                },
                Identifiers = { Identifiers(parse) },
            };
            payload(e);
            return await new ProfileService.ProfileServiceClient(channel).TrackAsync(new TrackRequest { Event = e }, cancellationToken: ct);
        });
    }

    /// <summary>One sub-command per kind of event, each setting its payload on the event <paramref name="track"/> sends.</summary>
    private static IEnumerable<Command> PayloadCommands(Func<ParseResult, CancellationToken, EventType, Action<Event>, Task<int>> track)
    {
        var orderId = new Option<string>("--order-id") { Required = true };
        var total = new Option<decimal>("--total") { Required = true };
        var currency = new Option<string>("--currency") { DefaultValueFactory = _ => "EUR" };
        var store = new Option<string?>("--store");
        var sku = new Option<string>("--sku") { Required = true };
        var category = new Option<string?>("--category");
        var path = new Option<string>("--path") { Required = true };

        var purchase = new Command("purchase", "A purchase, online or in store") { orderId, total, currency, store };
        purchase.SetAction((parse, ct) => track(parse, ct, EventType.Purchase, e => e.Purchase = new Purchase
        {
            OrderId = parse.GetRequiredValue(orderId),
            Total = Money(parse.GetValue(total), parse.GetRequiredValue(currency)),
            StoreId = parse.GetValue(store) ?? string.Empty,
        }));
        var productView = new Command("product-view", "A product page seen") { sku, category };
        productView.SetAction((parse, ct) => track(parse, ct, EventType.ProductView, e => e.ProductView = new ProductView
        {
            Sku = parse.GetRequiredValue(sku),
            Category = parse.GetValue(category) ?? string.Empty,
        }));
        var pageView = new Command("page-view", "A page seen") { path };
        pageView.SetAction((parse, ct) => track(parse, ct, EventType.PageView, e => e.PageView = new PageView { Path = parse.GetRequiredValue(path) }));

        var sentChannel = new Option<string>("--via") { Description = "Contact channel the message went out on", Required = true };
        sentChannel.AcceptOnlyFromAmong(ContactChannels.Keys.ToArray());
        var campaign = new Option<string?>("--campaign");
        var messageSent = new Command("message-sent", "A message the brand sent (counted for contact frequency caps)") { sentChannel, campaign };
        messageSent.SetAction((parse, ct) => track(parse, ct, EventType.MessageSent, e => e.MessageSent = new MessageSent
        {
            Channel = ContactChannels[parse.GetRequiredValue(sentChannel)],
            Campaign = parse.GetValue(campaign) ?? string.Empty,
        }));

        return [purchase, productView, pageView, messageSent];
    }
}
