using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>
/// The customer base at a glance, for the insight console: scores, channel mix and consent coverage over a uniform
/// sample of customers, and how many of them a segment being written would take. Key: 0 (a stateless worker).
/// </summary>
[Alias("pg.IInsightGrain")]
public interface IInsightGrain : IGrainWithIntegerKey
{
    /// <param name="sampleSize">At most this many customers are read; all of them when there are no more.</param>
    /// <param name="probe">A segment definition to estimate, or null.</param>
    [Alias("Describe")]
    Task<CustomerBaseView> Describe(int sampleSize, SegmentDefinition? probe);
}

[GenerateSerializer, Immutable, Alias("pg.CustomerBaseView")]
public sealed record CustomerBaseView([property: Id(0)] CustomerBaseFigures Figures, [property: Id(1)] ClusterActivity Activity);
