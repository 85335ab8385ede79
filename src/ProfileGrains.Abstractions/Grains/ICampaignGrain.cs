using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>One campaign's live indicators, fed by the customers its events reach. Key: the campaign id.</summary>
[Alias("pg.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task Record([Immutable] CampaignTally tally);

    /// <summary>Null when no event of this campaign was ever recorded.</summary>
    [Alias("Get"), ReadOnly]
    Task<CampaignView?> Get();
}
