using Microsoft.AspNetCore.Authorization;
using Grpc.Core;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using ProfileGrains.Host.Security;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>The customer base at a glance and a segment's size before it is saved (the insight console's figures).</summary>
internal sealed class InsightGrpcService(IGrainFactory grains, RequestMapper mapper) : Api.InsightService.InsightServiceBase
{
    private const int DefaultSampleSize = 2000;
    private const string ProbeId = "estimate";

    [Authorize(Scopes.Read)]
    public override async Task<Api.CustomerBase> GetCustomerBase(Api.GetCustomerBaseRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var sampleSize = SampleSize(request.SampleSize, v);
        v.ThrowIfAny();
        return InsightMapper.CustomerBase(await grains.GetGrain<IInsightGrain>(0).Describe(sampleSize, probe: null));
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.SegmentEstimate> EstimateSegment(Api.EstimateSegmentRequest request, ServerCallContext context)
    {
        // Checked exactly as PutSegment checks a definition's rule, reported against this request's own fields.
        var v = new Violations();
        var (conditions, requiredConsent) = mapper.SegmentRule(request.Rule, request.RequiredConsent, prefix: string.Empty, v);
        var sampleSize = SampleSize(request.SampleSize, v);
        v.ThrowIfAny();
        var probe = new SegmentDefinition(ProbeId, ProbeId, conditions, Version: 0, requiredConsent);
        var view = await grains.GetGrain<IInsightGrain>(0).Describe(sampleSize, probe);
        return InsightMapper.Estimate(view.Figures);
    }

    private static int SampleSize(int requested, Violations v)
    {
        if (requested is < 0 or > InsightGrain.MaxSampleSize)
        {
            v.Add("sample_size", $"must be 1-{InsightGrain.MaxSampleSize}, or 0 for {DefaultSampleSize}");
        }

        return requested == 0 ? DefaultSampleSize : requested;
    }
}
