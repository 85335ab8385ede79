namespace ProfileGrains.Domain;

/// <summary>
/// One campaign's indicators, overall and per segment (as the customers' memberships stood when each event came), built
/// from the tallies customers send. Bounded by <see cref="MaxSegments"/> segments: later ones are counted overall only.
/// </summary>
[GenerateSerializer, Alias("pg.CampaignIndicators")]
public sealed class CampaignIndicators
{
    public const int MaxSegments = 500;

    [Id(0)] public CampaignCounts Total { get; private set; } = new();
    [Id(1)] public Dictionary<string, CampaignCounts> BySegment { get; private set; } = new(StringComparer.Ordinal);
    [Id(2)] public DateTimeOffset? FirstEventAt { get; private set; }
    [Id(3)] public DateTimeOffset? LastEventAt { get; private set; }

    public void Add(CampaignTally tally, DateTimeOffset now)
    {
        FirstEventAt ??= now;
        LastEventAt = now;
        Total.Add(tally);
        foreach (var segmentId in tally.SegmentIds)
        {
            if (!BySegment.TryGetValue(segmentId, out var counts))
            {
                if (BySegment.Count >= MaxSegments)
                {
                    continue;
                }

                BySegment[segmentId] = counts = new CampaignCounts();
            }

            counts.Add(tally);
        }
    }

    public CampaignView View(string campaign) => new(
        campaign,
        Total.Figures(),
        [.. BySegment.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SegmentFigures(s.Key, s.Value.Figures()))],
        FirstEventAt,
        LastEventAt);
}
