namespace ProfileGrains.Domain;

/// <summary>
/// Everything the engine holds about one person, for the person's own copy of their data (GDPR arts. 15 and 20): the
/// profile, and what the profile read leaves out — every interest with its score, interactions per category, messages
/// sent, the records merged into this one, and how many event digests are kept to count each event once.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.CustomerRecordView")]
public sealed record CustomerRecordView(
    [property: Id(0)] ProfileView Profile,
    [property: Id(1)] IReadOnlyList<ScoredInterest> CategoryInterests,
    [property: Id(2)] IReadOnlyList<ScoredInterest> ProductInterests,
    [property: Id(3)] IReadOnlyDictionary<string, int> CategoryInteractions,
    [property: Id(4)] IReadOnlyList<MessagesSentView> MessagesSent,
    [property: Id(5)] IReadOnlyList<MergeRecord> Merges,
    [property: Id(6)] int RememberedEventDigests,
    [property: Id(7)] DateTimeOffset? TraitsUpdatedAt,
    [property: Id(8)] IReadOnlyList<ConsentDecision> ConsentHistory,
    [property: Id(9)] IReadOnlyList<TimelineEntry> Timeline)
{
    public static CustomerRecordView From(CustomerProfile p, DateTimeOffset now, ScoringOptions scoring) => new(
        ProfileView.From(p, now, scoring),
        Interests(p.Interests.Categories, now),
        Interests(p.Interests.Products, now),
        p.CategoryAffinity.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        [.. p.MessagesSent.OrderBy(kv => kv.Key).Select(kv => new MessagesSentView(
            kv.Key,
            Enum.GetValues<CounterWindow>().ToDictionary(w => w, w => kv.Value.Count(w, now)),
            kv.Value.LastOccurredAt))],
        [.. p.MergeHistory.OrderBy(m => m.MergedAt)],
        p.Dedupe.Remembered,
        p.TraitsUpdatedAt,
        [.. p.ConsentHistory],
        [.. p.Timeline.All().Reverse()]);

    private static IReadOnlyList<ScoredInterest> Interests(CompactDictionary<string, DecayingScore> scores, DateTimeOffset now) =>
        [.. RecentInterests.Top(scores, now, scores.Count).Select(t => new ScoredInterest(t.Key, Math.Round(t.Score, 3)))];
}

/// <summary>Marketing messages sent to a customer on one channel, per window: the contact pressure counted against caps.</summary>
[GenerateSerializer, Immutable, Alias("pg.MessagesSentView")]
public sealed record MessagesSentView(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] IReadOnlyDictionary<CounterWindow, long> Windows,
    [property: Id(2)] DateTimeOffset? LastSentAt);
