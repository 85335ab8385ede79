using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>GetTimeline both ways: the request to a <see cref="TimelineQuery"/>, entries back to the events they were.</summary>
internal static class TimelineMapper
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    private const string TokenPrefix = "t1:";

    public static TimelineQuery Query(Api.GetTimelineRequest request, Violations v)
    {
        var types = new HashSet<EventType>();
        for (var i = 0; i < request.EventTypes.Count; i++)
        {
            if (request.EventTypes[i].ToDomain() is { } type)
            {
                types.Add(type);
            }
            else
            {
                v.Add($"event_types[{i}]", "must be a known event type");
            }
        }

        var channels = new HashSet<Channel>();
        for (var i = 0; i < request.Channels.Count; i++)
        {
            if (request.Channels[i].ToDomain() is { } channel)
            {
                channels.Add(channel);
            }
            else
            {
                v.Add($"channels[{i}]", "must be a known channel");
            }
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            v.Add("page_size", $"must be 1 to {MaxPageSize} (0: {DefaultPageSize})");
        }

        var (ticks, eventId) = request.PageToken.Length == 0 ? (null, null) : Position(request.PageToken, v);
        return new TimelineQuery(types, channels, ticks, eventId, request.PageSize == 0 ? DefaultPageSize : request.PageSize);
    }

    public static Api.Timeline Page(TimelinePage page, MergedAway? mergedAway) => new()
    {
        CustomerId = page.CustomerId,
        Entries = { page.Entries.Select(Event) },
        NextPageToken = page.More && page.Entries.Count > 0 ? Token(page.Entries[^1]) : string.Empty,
        MergedAway = ViewMapper.MergedAway(mergedAway),
    };

    /// <summary>The event as it was tracked, less its identifiers (the customer is the answer's).</summary>
    public static Api.Event Event(TimelineEntry entry)
    {
        var e = new Api.Event
        {
            EventId = entry.EventId,
            Type = entry.Type.ToProto(),
            OccurredAt = Timestamp.FromDateTimeOffset(entry.OccurredAt),
            Channel = entry.Channel.ToProto(),
        };
        switch (entry.Payload)
        {
            case PurchasePayload p:
                e.Purchase = new Api.Purchase
                {
                    OrderId = p.OrderId,
                    Total = ViewMapper.Money(p.Total),
                    StoreId = p.StoreId ?? string.Empty,
                    Items = { p.Items.Select(Line) },
                    Discount = OptionalMoney(p.Discount),
                    PaymentKind = p.PaymentKind.ToProto(),
                    PaymentInstrument = p.PaymentInstrument ?? string.Empty,
                };
                break;
            case ReturnPayload p:
                e.ProductReturn = new Api.ProductReturn
                {
                    OrderId = p.OrderId,
                    Refund = ViewMapper.Money(p.Refund),
                    Items = { p.Items.Select(Line) },
                    StoreId = p.StoreId ?? string.Empty,
                    Reason = p.Reason ?? string.Empty,
                };
                break;
            case ProductPayload p when entry.Type == EventType.ProductView:
                e.ProductView = new Api.ProductView { Sku = p.Sku, Category = p.Category ?? string.Empty };
                break;
            case ProductPayload p:
                var cart = new Api.CartChange { Sku = p.Sku, Category = p.Category ?? string.Empty, Quantity = p.Quantity, UnitPrice = OptionalMoney(p.UnitPrice) };
                if (entry.Type == EventType.RemoveFromCart)
                {
                    e.RemoveFromCart = cart;
                }
                else
                {
                    e.AddToCart = cart;
                }

                break;
            case PageViewPayload p:
                e.PageView = new Api.PageView { Path = p.Path };
                break;
            case StoreVisitPayload p:
                e.StoreVisit = new Api.StoreVisit { StoreId = p.StoreId };
                break;
            case CampaignPayload p:
                // Unset means email, as in the request: an email interaction comes back as it was sent.
                var channel = p.ChannelOrEmail;
                var interaction = new Api.EmailInteraction { Campaign = p.Campaign ?? string.Empty, Channel = channel == ContactChannel.Email ? Api.ContactChannel.Unspecified : channel.ToProto() };
                if (entry.Type == EventType.EmailClick)
                {
                    e.EmailClick = interaction;
                }
                else
                {
                    e.EmailOpen = interaction;
                }

                break;
            case SupportPayload p:
                e.SupportContact = new Api.SupportContact { Topic = p.Topic ?? string.Empty, Outcome = p.Outcome.ToProto() };
                break;
            case ScorePayload p when entry.Type == EventType.Review:
                e.Review = new Api.Review { Sku = p.Sku ?? string.Empty, Rating = p.Score, Text = p.Text ?? string.Empty, Suggestion = p.Suggestion };
                break;
            case ScorePayload p:
                e.Satisfaction = new Api.Satisfaction { Score = p.Score, Comment = p.Text ?? string.Empty };
                break;
            case CustomPayload p:
                e.Custom = new Api.CustomEvent { Name = p.Name, Properties = { new Dictionary<string, string>(p.Properties) } };
                break;
            case MessagePayload p:
                var message = new Api.MessageSent { Channel = p.Channel.ToProto(), Campaign = p.Campaign ?? string.Empty };
                switch (entry.Type)
                {
                    case EventType.MessageDelivered:
                        e.MessageDelivered = message;
                        break;
                    case EventType.MessageBounced:
                        e.MessageBounced = message;
                        break;
                    case EventType.Unsubscribe:
                        e.Unsubscribe = message;
                        break;
                    default:
                        e.MessageSent = message;
                        break;
                }

                break;
            case SubscriptionPayload p:
                var subscription = new Api.Subscription { Plan = p.Plan, Reason = p.Reason ?? string.Empty };
                if (entry.Type == EventType.SubscriptionStop)
                {
                    e.SubscriptionStop = subscription;
                }
                else
                {
                    e.SubscriptionStart = subscription;
                }

                break;
        }

        return e;
    }

    private static Api.LineItem Line(LineItem i) => new()
    {
        Sku = i.Sku,
        Category = i.Category ?? string.Empty,
        Quantity = i.Quantity,
        UnitPrice = OptionalMoney(i.UnitPrice),
        Discount = OptionalMoney(i.Discount),
    };

    private static Api.Money? OptionalMoney(Money? money) => money is { } m ? ViewMapper.Money(m) : null;

    /// <summary>Where a page ended: opaque to clients, checked when it comes back.</summary>
    private static string Token(TimelineEntry last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TokenPrefix + last.OccurredAtTicks.ToString(CultureInfo.InvariantCulture) + ":" + last.EventId));

    private static (long? Ticks, string? EventId) Position(string token, Violations v)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var colon = text.IndexOf(':', TokenPrefix.Length);
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal) && colon > 0
                && long.TryParse(text.AsSpan(TokenPrefix.Length, colon - TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (ticks, text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        v.Add("page_token", "is not a token this engine gave (pass next_page_token as it came)");
        return (null, null);
    }
}
