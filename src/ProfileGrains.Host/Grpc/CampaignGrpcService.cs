using Microsoft.AspNetCore.Authorization;
using Grpc.Core;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Host.Security;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>Campaign indicators: one campaign, every campaign, or every campaign among one segment's members.</summary>
internal sealed class CampaignGrpcService(IGrainFactory grains) : Api.CampaignService.CampaignServiceBase
{
    [Authorize(Scopes.Read)]
    public override async Task<Api.CampaignIndicators> GetCampaign(Api.GetCampaignRequest request, ServerCallContext context)
    {
        var v = new Violations();
        v.RequireText("campaign", request.Campaign, Limits.MaxShortTextLength);
        v.ThrowIfAny();
        var view = await grains.GetGrain<ICampaignGrain>(request.Campaign).Get()
            ?? throw GrpcErrors.NotFound("no event of this campaign was ever tracked");
        return CampaignMapper.Indicators(view);
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.ListCampaignsResponse> ListCampaigns(Api.ListCampaignsRequest request, ServerCallContext context)
    {
        var response = new Api.ListCampaignsResponse();
        foreach (var view in await AllCampaigns())
        {
            response.Campaigns.Add(CampaignMapper.Indicators(view));
        }

        return response;
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.SegmentCampaigns> GetSegmentCampaigns(Api.GetSegmentCampaignsRequest request, ServerCallContext context)
    {
        var v = new Violations();
        SegmentDefinition.ValidateId(request.SegmentId, "segment_id", v);
        v.ThrowIfAny();
        var response = new Api.SegmentCampaigns { SegmentId = request.SegmentId };
        var among = new List<CampaignFigures>();
        foreach (var view in await AllCampaigns())
        {
            if (view.BySegment.FirstOrDefault(s => s.SegmentId == request.SegmentId) is { } figures)
            {
                among.Add(figures.Figures);
                response.Campaigns.Add(new Api.CampaignAmongSegment { Campaign = view.Campaign, Figures = CampaignMapper.Figures(figures.Figures) });
            }
        }

        response.Total = CampaignMapper.Figures(CampaignCounts.Total(among));
        return response;
    }

    /// <summary>Newest first, read in parallel (each campaign is its own grain).</summary>
    private async Task<IReadOnlyList<CampaignView>> AllCampaigns()
    {
        var ids = await grains.GetGrain<ICampaignDirectoryGrain>(0).List();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ICampaignGrain>(id).Get()));
        return [.. views.OfType<CampaignView>()];
    }
}
