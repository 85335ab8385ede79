using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>A segment's definition and its members. Key: the segment id.</summary>
[Alias("pg.ISegmentGrain")]
public interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the rule (a new version) and starts back-filling it over every existing customer.</summary>
    [Alias("Define")]
    Task<SegmentInfo> Define(string name, IReadOnlyList<SegmentCondition> conditions, ActivationConsent? requiredConsent = null);

    [Alias("Get")]
    Task<SegmentInfo?> Get();

    /// <summary>Removes the rule everywhere and empties the membership; false when there was no such segment.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>Members now, summed over the shards.</summary>
    [Alias("Count")]
    Task<long> Count();
}
