using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Domain;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

internal static class CampaignMapper
{
    public static Api.CampaignIndicators Indicators(CampaignView c) => new()
    {
        Campaign = c.Campaign,
        Total = Figures(c.Total),
        BySegment = { c.BySegment.Select(s => new Api.SegmentCampaignFigures { SegmentId = s.SegmentId, Figures = Figures(s.Figures) }) },
        FirstEventAt = c.FirstEventAt is { } first ? Timestamp.FromDateTimeOffset(first) : null,
        LastEventAt = c.LastEventAt is { } last ? Timestamp.FromDateTimeOffset(last) : null,
    };

    public static Api.CampaignFigures Figures(CampaignFigures f)
    {
        var figures = new Api.CampaignFigures
        {
            Sent = f.Sent,
            Delivered = f.Delivered,
            Bounced = f.Bounced,
            Opened = f.Opened,
            Clicked = f.Clicked,
            Unsubscribed = f.Unsubscribed,
            Converted = f.Converted,
            Revenue = { f.Revenue.Select(ViewMapper.Money) },
        };
        if (f.OpenRate is { } open)
        {
            figures.OpenRate = (double)open;
        }

        if (f.ClickRate is { } click)
        {
            figures.ClickRate = (double)click;
        }

        if (f.UnsubscribeRate is { } unsubscribe)
        {
            figures.UnsubscribeRate = (double)unsubscribe;
        }

        if (f.BounceRate is { } bounce)
        {
            figures.BounceRate = (double)bounce;
        }

        if (f.ConversionRate is { } conversion)
        {
            figures.ConversionRate = (double)conversion;
        }

        return figures;
    }
}
