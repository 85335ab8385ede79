using Orleans.Concurrency;

namespace ProfileGrains.Abstractions;

/// <summary>Every campaign the engine has seen, so they can be listed. Key: 0.</summary>
[Alias("pg.ICampaignDirectoryGrain")]
public interface ICampaignDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(string campaign);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> List();
}
