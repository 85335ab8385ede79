using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Domain;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>The customer's activity beyond counts (cart, returns, feedback, subscriptions, campaigns, anomalies) as protobuf.</summary>
internal static class ActivityMapper
{
    public static Api.CustomerActivity Activity(ActivityView a)
    {
        var activity = new Api.CustomerActivity
        {
            Cart = Cart(a.Cart),
            Returns = a.Returns,
            Refunded = { a.Refunded.Select(ViewMapper.Money) },
            NpsGroup = a.NpsGroup ?? string.Empty,
            Reviews = a.Reviews,
            Subscriptions = { a.Subscriptions },
            Anomalies = { a.Anomalies },
            Campaigns = { a.Campaigns.Select(Reach) },
        };
        if (a.LastSatisfaction is { } satisfaction)
        {
            activity.LastSatisfaction = satisfaction;
        }

        if (a.AverageRating is { } rating)
        {
            activity.AverageRating = (double)rating;
        }

        return activity;
    }

    public static Api.Cart Cart(CartView cart) => new()
    {
        Lines =
        {
            cart.Lines.Select(l => new Api.CartLine
            {
                Sku = l.Sku,
                Category = l.Category ?? string.Empty,
                Quantity = l.Quantity,
                UnitPrice = l.UnitPrice is { } price ? ViewMapper.Money(price) : null,
                ChangedAt = Timestamp.FromDateTimeOffset(l.ChangedAt),
            }),
        },
        ItemCount = cart.ItemCount,
        LastChangedAt = cart.LastChangedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    private static Api.CampaignReach Reach(CampaignEngagement c) => new()
    {
        Campaign = c.Campaign,
        Sent = c.Reach.HasFlag(CampaignReach.Sent),
        Delivered = c.Reach.HasFlag(CampaignReach.Delivered),
        Bounced = c.Reach.HasFlag(CampaignReach.Bounced),
        Opened = c.Reach.HasFlag(CampaignReach.Opened),
        Clicked = c.Reach.HasFlag(CampaignReach.Clicked),
        Unsubscribed = c.Reach.HasFlag(CampaignReach.Unsubscribed),
        Converted = c.Reach.HasFlag(CampaignReach.Converted),
        LastClickAt = c.LastClickTicks == 0 ? null : Timestamp.FromDateTimeOffset(new DateTimeOffset(c.LastClickTicks, TimeSpan.Zero)),
    };
}
