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

        var quantity = new Option<int>("--quantity") { DefaultValueFactory = _ => 1 };
        var price = new Option<decimal?>("--price") { Description = "Unit price, in --currency" };
        var addToCart = new Command("add-to-cart", "A product put in the cart (abandoned-cart rules count from the last cart change)") { sku, category, quantity, price, currency };
        addToCart.SetAction((parse, ct) => track(parse, ct, EventType.AddToCart, e => e.AddToCart = new CartChange
        {
            Sku = parse.GetRequiredValue(sku),
            Category = parse.GetValue(category) ?? string.Empty,
            Quantity = parse.GetValue(quantity),
            UnitPrice = parse.GetValue(price) is { } unit ? Money(unit, parse.GetRequiredValue(currency)) : null,
        }));

        var refund = new Option<decimal>("--refund") { Required = true };
        var reason = new Option<string?>("--reason");
        var productReturn = new Command("return", "Goods brought back, and what was refunded") { orderId, refund, currency, store, reason };
        productReturn.SetAction((parse, ct) => track(parse, ct, EventType.Return, e => e.ProductReturn = new ProductReturn
        {
            OrderId = parse.GetRequiredValue(orderId),
            Refund = Money(parse.GetValue(refund), parse.GetRequiredValue(currency)),
            StoreId = parse.GetValue(store) ?? string.Empty,
            Reason = parse.GetValue(reason) ?? string.Empty,
        }));

        var score = new Option<int>("--score") { Description = "0 to 10 (the NPS question)", Required = true };
        var comment = new Option<string?>("--comment");
        var satisfaction = new Command("satisfaction", "A satisfaction (NPS) answer") { score, comment };
        satisfaction.SetAction((parse, ct) => track(parse, ct, EventType.Satisfaction, e => e.Satisfaction = new Satisfaction
        {
            Score = parse.GetValue(score),
            Comment = parse.GetValue(comment) ?? string.Empty,
        }));

        var unsubscribe = new Command("unsubscribe", "The customer unsubscribed from a channel (withdraws marketing consent on it)") { sentChannel, campaign };
        unsubscribe.SetAction((parse, ct) => track(parse, ct, EventType.Unsubscribe, e => e.Unsubscribe = new MessageSent
        {
            Channel = ContactChannels[parse.GetRequiredValue(sentChannel)],
            Campaign = parse.GetValue(campaign) ?? string.Empty,
        }));

        var clickedCampaign = new Option<string>("--campaign") { Required = true };
        var click = new Command("click", "A click in a campaign message (a purchase within the conversion window converts it)") { clickedCampaign };
        click.SetAction((parse, ct) => track(parse, ct, EventType.EmailClick, e => e.EmailClick = new EmailInteraction { Campaign = parse.GetRequiredValue(clickedCampaign) }));

        return [purchase, productView, pageView, messageSent, addToCart, productReturn, satisfaction, unsubscribe, click];
    }
}
