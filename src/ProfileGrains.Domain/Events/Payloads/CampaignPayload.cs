namespace ProfileGrains.Domain;

/// <summary>
/// A campaign message opened or clicked, and on which channel. Journals written before the channel was carried read it
/// as <see cref="ContactChannel.All"/>: those were emails (see <see cref="ChannelOrEmail"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CampaignPayload")]
public sealed record CampaignPayload([property: Id(0)] string? Campaign, [property: Id(1)] ContactChannel Channel = ContactChannel.Email) : EventPayload
{
    public ContactChannel ChannelOrEmail => Channel == ContactChannel.All ? ContactChannel.Email : Channel;
}
