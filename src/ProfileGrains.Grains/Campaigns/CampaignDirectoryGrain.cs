using ProfileGrains.Abstractions;

namespace ProfileGrains.Grains;

/// <summary>
/// The campaigns seen, newest first. Each campaign registers once in its life (its own state remembers it did), so this
/// grain is called once per campaign, not once per event. Bounded by <see cref="MaxCampaigns"/>: the oldest are
/// forgotten from the list (their indicators stay readable by id).
/// </summary>
[GrainType("campaign-directory")]
public sealed class CampaignDirectoryGrain(
    [PersistentState("campaign-directory", StorageNames.Segments)] IPersistentState<CampaignDirectoryState> state) : Grain, ICampaignDirectoryGrain
{
    public const int MaxCampaigns = 10_000;

    public async Task Register(string campaign)
    {
        var campaigns = state.State.Campaigns;
        if (campaigns.Contains(campaign))
        {
            return;
        }

        campaigns.Add(campaign);
        if (campaigns.Count > MaxCampaigns)
        {
            campaigns.RemoveRange(0, campaigns.Count - MaxCampaigns);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. Enumerable.Reverse(state.State.Campaigns)]);
}

[GenerateSerializer, Alias("pg.CampaignDirectoryState")]
public sealed class CampaignDirectoryState
{
    // Oldest first.
    [Id(0)] public List<string> Campaigns { get; set; } = [];
}
