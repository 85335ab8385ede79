using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>Domain views to protobuf responses.</summary>
internal static class ViewMapper
{
    public static Api.Identifier Identifier(CustomerIdentifier id) => new() { Type = id.Type.ToProto(), Value = id.Value };

    public static Api.IdentifierConflict Conflict(IdentifierConflict c) => new()
    {
        Identifier = Identifier(c.Identifier),
        OwnerCustomerId = c.OwnerCustomerId,
        Reason = c.Reason,
    };

    /// <summary>What became of each identifier of an Identify request, in request order.</summary>
    public static IEnumerable<Api.IdentifierOutcome> Outcomes(IReadOnlyList<Api.Identifier> sent, IdentifierReadings readings, IReadOnlyList<IdentifierConflict> conflicts)
    {
        for (var i = 0; i < sent.Count; i++)
        {
            if (readings.Normalized[i] is not { } identifier)
            {
                var rejection = readings.Rejections[i]!.Value;
                yield return new Api.IdentifierOutcome { Identifier = sent[i], Outcome = Api.IdentifierOutcome.Types.Outcome.Rejected, Field = rejection.Field, Reason = rejection.Description };
            }
            else if (conflicts.FirstOrDefault(c => c.Identifier == identifier) is { } conflict)
            {
                yield return new Api.IdentifierOutcome { Identifier = Identifier(identifier), Outcome = Api.IdentifierOutcome.Types.Outcome.NotLinked, Reason = conflict.Reason };
            }
            else
            {
                yield return new Api.IdentifierOutcome { Identifier = Identifier(identifier), Outcome = Api.IdentifierOutcome.Types.Outcome.Linked };
            }
        }
    }

    public static Api.TrackResponse Track(TrackResult r, IReadOnlyList<Api.Identifier> sent, IdentifierReadings readings) => new()
    {
        CustomerId = r.CustomerId,
        Outcome = r.Outcome.ToProto(),
        Conflicts = { r.Conflicts.Select(Conflict) },
        MergedCustomerIds = { r.MergedCustomerIds },
        IdentifierOutcomes = { Outcomes(sent, readings, r.Conflicts) },
    };

    public static Api.TraitRejection TraitRejection(TraitRejection r) => new() { Field = r.Field, Reason = r.Reason, Path = r.Path };

    public static Api.IdentityExplanation Explanation(IdentityExplanation e, IReadOnlyList<MergeRecord> merges) =>
        Explanation(e.Identifier, e.CustomerId, e.History, e.Quarantine, merges);

    /// <summary>A released quarantine; named by key, the identity map knows no identifier value to show.</summary>
    public static Api.IdentityExplanation Released(IdentityOwnership ownership, IReadOnlyList<MergeRecord> merges, CustomerIdentifier? identifier) =>
        Explanation(identifier, ownership.CustomerId, ownership.History, ownership.Quarantine, merges);

    public static Api.QuarantinedIdentifier Quarantined(QuarantinedIdentity q) => new()
    {
        IdentifierKey = q.Key.ToString(),
        CustomerId = q.CustomerId,
        Quarantine = Quarantine(q.Quarantine),
    };

    public static Api.Profile Profile(ProfileView p, MergedAway? mergedAway = null)
    {
        var t = p.Transactions;
        var profile = new Api.Profile
        {
            CustomerId = p.CustomerId,
            CreatedAt = Timestamp.FromDateTimeOffset(p.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(p.UpdatedAt),
            Identifiers = { p.Identifiers.Select(Identifier) },
            Traits = Traits(p.Traits),
            Transactions = new Api.TransactionSummary
            {
                FirstPurchaseAt = Time(t.FirstPurchaseAt),
                LastPurchaseAt = Time(t.LastPurchaseAt),
                OrderCount = t.OrderCount,
                TotalSpend = { t.TotalSpend.Select(Money) },
                AverageBasket = { t.AverageBasket.Select(Money) },
                ByChannel = { t.ByChannel.Select(c => new Api.ChannelSpend { Channel = c.Channel.ToProto(), OrderCount = c.OrderCount, Spend = { c.Spend.Select(Money) } }) },
                PreferredStoreId = t.PreferredStoreId ?? string.Empty,
            },
            SegmentIds = { p.SegmentIds },
            TopCategories = { p.TopCategories },
            Scores = Scores(p.Scores),
            MergedAway = MergedAway(mergedAway),
            Activity = ActivityMapper.Activity(p.Activity),
            Enrichment = { p.Enrichment.Attributes.ToDictionary(StringComparer.Ordinal) },
        };
        foreach (var counter in p.Counters)
        {
            profile.Counters.Add(new Api.EventCounter
            {
                EventType = counter.EventType.ToProto(),
                LastOccurredAt = Time(counter.LastOccurredAt),
                Windows = { counter.Windows.OrderBy(w => w.Key).Select(w => new Api.WindowCount { Window = w.Key.ToProto(), Count = w.Value }) },
            });
        }

        return profile;
    }

    /// <summary>That the customer id a request named was merged into the one answering, and when.</summary>
    public static Api.MergedAway? MergedAway(MergedAway? mergedAway) =>
        mergedAway is null ? null : new Api.MergedAway { CustomerId = mergedAway.CustomerId, MergedAt = Timestamp.FromDateTimeOffset(mergedAway.MergedAt) };

    public static Api.CustomerExport Export(CustomerRecordView r, DateTimeOffset exportedAt, MergedAway? mergedAway) => new()
    {
        ExportedAt = Timestamp.FromDateTimeOffset(exportedAt),
        Profile = Profile(r.Profile, mergedAway),
        CategoryInterests = { r.CategoryInterests.Select(i => new Api.ScoredInterest { Key = i.Key, Score = i.Score }) },
        ProductInterests = { r.ProductInterests.Select(i => new Api.ScoredInterest { Key = i.Key, Score = i.Score }) },
        CategoryInteractions = { r.CategoryInteractions.ToDictionary(StringComparer.Ordinal) },
        MessagesSent =
        {
            r.MessagesSent.Select(m => new Api.MessagesSent
            {
                Channel = m.Channel.ToProto(),
                LastSentAt = Time(m.LastSentAt),
                Windows = { m.Windows.OrderBy(w => w.Key).Select(w => new Api.WindowCount { Window = w.Key.ToProto(), Count = w.Value }) },
            }),
        },
        Merges =
        {
            r.Merges.Select(m => new Api.MergeHistoryEntry
            {
                MergeId = m.MergeId,
                AbsorbedCustomerId = m.AbsorbedCustomerId,
                MergedAt = Timestamp.FromDateTimeOffset(m.MergedAt),
                Trigger = m.Trigger is { } trigger ? Identifier(trigger) : null,
                Rule = m.Rule,
            }),
        },
        RememberedEventDigests = r.RememberedEventDigests,
        ConsentHistory = { r.ConsentHistory.Select(Consent) },
        TraitsUpdatedAt = Time(r.TraitsUpdatedAt),
        Timeline = { r.Timeline.Select(TimelineMapper.Event) },
    };

    public static Api.CheckoutSummary Checkout(CheckoutView c) => new()
    {
        CustomerId = c.CustomerId,
        Name = Name(c.Name),
        LoyaltyId = c.LoyaltyId ?? string.Empty,
        LoyaltyTier = c.LoyaltyTier ?? string.Empty,
        Consents = { c.Consents.Select(Consent) },
        LastPurchaseAt = Time(c.LastPurchaseAt),
        LastPurchaseTotal = c.LastPurchaseTotal is { } total ? Money(total) : null,
        LifetimeSpend = { c.LifetimeSpend.Select(Money) },
        OrderCount = c.OrderCount,
        PreferredStoreId = c.PreferredStoreId ?? string.Empty,
        SegmentIds = { c.SegmentIds },
        Scores = Scores(c.Scores),
        FavouriteCategories = { c.FavouriteCategories },
        NextBestCategory = c.NextBestCategory ?? string.Empty,
        Anomalies = { c.Anomalies },
        Returns = c.Returns,
        NpsGroup = c.NpsGroup ?? string.Empty,
    };

    public static Api.Personalization Personalization(PersonalizationView p) => new()
    {
        CustomerId = p.CustomerId,
        SegmentIds = { p.SegmentIds },
        Scores = p.Scores is { } scores ? Scores(scores) : null,
        TopCategories = { p.TopCategories.Select(i => new Api.ScoredInterest { Key = i.Key, Score = i.Score }) },
        TopProducts = { p.TopProducts.Select(i => new Api.ScoredInterest { Key = i.Key, Score = i.Score }) },
        Consents = { p.Consents.Select(Consent) },
        Personalized = p.Personalized,
        NotPersonalizedBecause = p.NotPersonalizedBecause ?? string.Empty,
        Cart = p.Cart is { } cart ? ActivityMapper.Cart(cart) : null,
        NextBestCategory = p.NextBestCategory ?? string.Empty,
    };

    public static Api.ContactDecision Contact(string customerId, ContactDecision d)
    {
        var decision = new Api.ContactDecision
        {
            CustomerId = customerId,
            Channel = d.Channel.ToProto(),
            Allowed = d.Allowed,
            Verdict = d.Verdict.ToProto(),
            Reason = d.Reason,
            Consent = d.Consent.ToProto(),
            SentInWindow = d.SentInWindow,
            ConsentRecord = d.ConsentRecord is { } record ? Consent(record) : null,
            Rule = d.Rule ?? string.Empty,
            MaxMessages = d.MaxMessages,
            Window = d.Window.ToProto(),
        };
        if (d.NextAllowedAt is { } next)
        {
            decision.NextAllowedAt = Timestamp.FromDateTimeOffset(next);
        }

        return decision;
    }

    public static Api.SegmentMembershipChange MembershipChange(string segmentId, int shard, MembershipChange change, string cursor) => new()
    {
        SegmentId = segmentId,
        CustomerId = change.CustomerId,
        Entered = change.Entered,
        At = Timestamp.FromDateTimeOffset(change.At),
        Shard = shard,
        Sequence = change.Sequence,
        Cursor = cursor,
    };

    private static Api.CustomerScores Scores(CustomerScores s) => new()
    {
        Recency = s.Recency,
        Frequency = s.Frequency,
        Monetary = s.Monetary,
        RfmSegment = SnakeCaseNames.Of(s.Segment),
        HistoricalValue = Money(new Money(s.Currency, s.HistoricalValue)),
        ExpectedValue = Money(new Money(s.Currency, s.ExpectedValue)),
        ChurnRisk = s.ChurnRisk,
        Engagement = s.Engagement,
        ChannelMix = SnakeCaseNames.Of(s.ChannelMix),
        ValueTier = s.ValueTier,
    };

    private static Api.ProfileTraits Traits(ProfileTraits t)
    {
        var traits = new Api.ProfileTraits
        {
            Name = Name(t.Name),
            Gender = t.Gender.ToProto(),
            Locale = t.Locale ?? string.Empty,
            Occupation = t.Occupation ?? string.Empty,
            LoyaltyTier = t.LoyaltyTier ?? string.Empty,
            Addresses =
            {
                t.Addresses.Select(a => new Api.PostalAddress
                {
                    Label = a.Label ?? string.Empty,
                    Lines = { a.Lines },
                    PostalCode = a.PostalCode ?? string.Empty,
                    City = a.City ?? string.Empty,
                    Region = a.Region ?? string.Empty,
                    CountryCode = a.CountryCode ?? string.Empty,
                }),
            },
            Preferences = new Api.Preferences
            {
                Interests = { t.Preferences.Interests },
                Sizes = { t.Preferences.Sizes.ToDictionary() },
                FavouriteDepartment = t.Preferences.FavouriteDepartment ?? string.Empty,
                LifeEvents = { t.Preferences.LifeEvents },
                Sports = { t.Preferences.Sports },
                LifeEventDates = { t.Preferences.DatedLifeEvents.ToDictionary(d => d.Key, d => new Api.Date { Year = d.Value.Year, Month = d.Value.Month, Day = d.Value.Day }) },
            },
            CustomAttributes = { t.CustomAttributes.ToDictionary() },
            Consents = { t.Consents.Select(Consent) },
        };
        if (t.BirthDate is { } birth)
        {
            traits.BirthDate = new Api.Date { Year = birth.Year, Month = birth.Month, Day = birth.Day };
        }

        if (t.Company is { } c)
        {
            traits.Company = new Api.Company
            {
                Name = c.Name ?? string.Empty,
                Employees = c.Employees ?? 0,
                AnnualRevenue = c.AnnualRevenue is { } revenue ? Money(revenue) : null,
                LegalForm = c.LegalForm ?? string.Empty,
                Industry = c.Industry ?? string.Empty,
            };
        }

        return traits;
    }

    private static Api.PersonName Name(PersonName n) => new()
    {
        GivenName = n.GivenName ?? string.Empty,
        FamilyName = n.FamilyName ?? string.Empty,
        MiddleNames = n.MiddleNames ?? string.Empty,
        MaidenName = n.MaidenName ?? string.Empty,
        Nickname = n.Nickname ?? string.Empty,
        Title = n.Title ?? string.Empty,
    };

    private static Api.Consent Consent(ConsentDecision c) => new()
    {
        Channel = c.Channel.ToProto(),
        Status = c.Status.ToProto(),
        DecidedAt = Timestamp.FromDateTimeOffset(c.DecidedAt),
        Source = c.Source ?? string.Empty,
        Purpose = c.Purpose.ToProto(),
        WordingVersion = c.WordingVersion ?? string.Empty,
        RequestId = c.RequestId ?? string.Empty,
        CustomPurpose = c.PurposeName ?? string.Empty,
    };

    public static Api.Money Money(Money m)
    {
        var units = decimal.Truncate(m.Amount);
        return new Api.Money { CurrencyCode = m.CurrencyCode, Units = (long)units, Nanos = (int)((m.Amount - units) * 1_000_000_000m) };
    }

    private static Api.IdentityExplanation Explanation(
        CustomerIdentifier? identifier, string? customerId, IReadOnlyList<IdentityLink> history, IdentifierQuarantine? quarantine, IReadOnlyList<MergeRecord> merges) => new()
    {
        Identifier = identifier is { } known ? Identifier(known) : null,
        CustomerId = customerId ?? string.Empty,
        History = { history.Select(h => new Api.IdentityLink { CustomerId = h.CustomerId, At = Timestamp.FromDateTimeOffset(h.At), Reason = h.Reason }) },
        Quarantine = Quarantine(quarantine),
        Merges =
        {
            merges.Select(m => new Api.MergeRecord
            {
                MergeId = m.MergeId,
                AbsorbedCustomerId = m.AbsorbedCustomerId,
                MergedAt = Timestamp.FromDateTimeOffset(m.MergedAt),
                Trigger = m.Trigger is { } trigger ? Identifier(trigger) : null,
                Rule = m.Rule,
            }),
        },
    };

    private static Api.Quarantine? Quarantine(IdentifierQuarantine? q) => q is null ? null : new Api.Quarantine
    {
        Since = Timestamp.FromDateTimeOffset(q.Since),
        Until = Time(q.Until),
        Reason = q.Reason,
    };

    private static Timestamp? Time(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
