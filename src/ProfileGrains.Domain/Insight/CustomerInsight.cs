namespace ProfileGrains.Domain;

/// <summary>
/// What one customer adds to the picture of the customer base: their scores, channel mix and consents, and whether a
/// rule being written would take them. Computed from the profile alone, small enough to send by the thousand.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerInsight")]
public sealed record CustomerInsight(
    [property: Id(0)] int Recency,
    [property: Id(1)] int Frequency,
    [property: Id(2)] int Monetary,
    [property: Id(3)] RfmSegment Segment,
    [property: Id(4)] ChannelMix ChannelMix,
    [property: Id(5)] double ChurnRisk,
    [property: Id(6)] IReadOnlyList<ConsentStatus> Consents,
    [property: Id(7)] bool? MatchesProbe)
{
    /// <summary>The channels and purposes consent coverage is reported for, in the order of <see cref="Consents"/>.</summary>
    public static readonly IReadOnlyList<(ContactChannel Channel, ConsentPurpose Purpose)> ConsentCells =
    [
        .. from channel in new[] { ContactChannel.Email, ContactChannel.Sms, ContactChannel.Phone, ContactChannel.Post, ContactChannel.Push, ContactChannel.InStore }
           from purpose in new[] { ConsentPurpose.Marketing, ConsentPurpose.Personalization, ConsentPurpose.Profiling, ConsentPurpose.PartnerSharing }
           select (channel, purpose),
    ];

    /// <param name="probe">A segment being written: whether this customer would be a member now (consent required included).</param>
    public static CustomerInsight From(CustomerProfile profile, DateTimeOffset now, ScoringOptions scoring, SegmentDefinition? probe)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var scores = CustomerScoring.Compute(profile, now, scoring);
        var consents = new ConsentStatus[ConsentCells.Count];
        for (var i = 0; i < consents.Length; i++)
        {
            var (channel, purpose) = ConsentCells[i];
            consents[i] = profile.ConsentRecordFor(channel, purpose)?.Status ?? ConsentStatus.Unknown;
        }

        return new CustomerInsight(
            scores.Recency, scores.Frequency, scores.Monetary, scores.Segment, scores.ChannelMix, scores.ChurnRisk, consents, probe?.Matches(profile, now));
    }
}
