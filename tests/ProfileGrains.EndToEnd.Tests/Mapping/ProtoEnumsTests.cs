using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Host.Grpc;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.EndToEnd.Tests.Mapping;

/// <summary>
/// Every protobuf enum value against the domain value it must mean, written out here a second time on purpose: a
/// renumbered or added value on either side fails until both tables agree.
/// </summary>
public sealed class ProtoEnumsTests
{
    private static void AssertEveryValue<TProto, TDomain>(
        (TProto Proto, TDomain Domain)[] expected, Func<TProto, TDomain?> toDomain, Func<TDomain, TProto> toProto, params TProto[] withoutCounterpart)
        where TProto : struct, Enum
        where TDomain : struct, Enum
    {
        foreach (var proto in Enum.GetValues<TProto>())
        {
            var match = expected.Where(e => e.Proto.Equals(proto)).ToArray();
            if (withoutCounterpart.Contains(proto))
            {
                Assert.Empty(match);
                Assert.Null(toDomain(proto));
                continue;
            }

            Assert.True(match.Length == 1, $"{typeof(TProto).Name}.{proto} has no expected domain value in this test");
            Assert.Equal(match[0].Domain, toDomain(proto));
        }

        foreach (var domain in Enum.GetValues<TDomain>())
        {
            var match = Assert.Single(expected, e => e.Domain.Equals(domain));
            Assert.Equal(match.Proto, toProto(domain));
        }

        Assert.Null(toDomain((TProto)Enum.ToObject(typeof(TProto), 99)));
    }

    [Fact]
    public void Identifier_types() => AssertEveryValue(
        [(Api.IdentifierType.Email, IdentifierType.Email), (Api.IdentifierType.Phone, IdentifierType.Phone),
         (Api.IdentifierType.LoyaltyId, IdentifierType.LoyaltyId), (Api.IdentifierType.AnonymousId, IdentifierType.AnonymousId),
         (Api.IdentifierType.CrmId, IdentifierType.CrmId)],
        p => p.ToDomain(), d => d.ToProto(), Api.IdentifierType.Unspecified);

    [Fact]
    public void Channels() => AssertEveryValue(
        [(Api.Channel.Unspecified, Channel.Unspecified), (Api.Channel.Web, Channel.Web), (Api.Channel.App, Channel.App),
         (Api.Channel.Store, Channel.Store), (Api.Channel.CallCentre, Channel.CallCentre), (Api.Channel.Email, Channel.Email)],
        p => p.ToDomain(), d => d.ToProto());

    [Fact]
    public void Genders() => AssertEveryValue(
        [(Api.Gender.Unspecified, Gender.Unspecified), (Api.Gender.Female, Gender.Female), (Api.Gender.Male, Gender.Male),
         (Api.Gender.NonBinary, Gender.NonBinary), (Api.Gender.Undisclosed, Gender.Undisclosed)],
        p => p.ToDomain(), d => d.ToProto());

    [Fact]
    public void Contact_channels()
    {
        // In a consent an unset channel is every channel; wherever a channel is asked for (CanContact), unset is none.
        AssertEveryValue(
            [(Api.ContactChannel.Unspecified, ContactChannel.All), (Api.ContactChannel.Email, ContactChannel.Email), (Api.ContactChannel.Sms, ContactChannel.Sms),
             (Api.ContactChannel.Phone, ContactChannel.Phone), (Api.ContactChannel.Post, ContactChannel.Post),
             (Api.ContactChannel.Push, ContactChannel.Push), (Api.ContactChannel.InStore, ContactChannel.InStore)],
            p => p.ToConsentChannel(), d => d.ToProto());
        Assert.Null(Api.ContactChannel.Unspecified.ToDomain());
    }

    [Fact]
    public void Consent_purposes()
    {
        (Api.ConsentPurpose Proto, ConsentPurpose Domain)[] expected =
        [
            (Api.ConsentPurpose.Marketing, ConsentPurpose.Marketing), (Api.ConsentPurpose.Personalization, ConsentPurpose.Personalization),
            (Api.ConsentPurpose.Profiling, ConsentPurpose.Profiling), (Api.ConsentPurpose.PartnerSharing, ConsentPurpose.PartnerSharing),
            (Api.ConsentPurpose.Custom, ConsentPurpose.Custom),
        ];
        Assert.Equal(Enum.GetValues<ConsentPurpose>().Length, expected.Length);
        Assert.Equal(Enum.GetValues<Api.ConsentPurpose>().Length, expected.Length + 1);
        Assert.All(expected, e => Assert.Equal((e.Domain, e.Proto), (e.Proto.ToDomain()!.Value, e.Domain.ToProto())));
        Assert.Equal(ConsentPurpose.Marketing, Api.ConsentPurpose.Unspecified.ToDomain()); // what every decision meant before purposes
        Assert.Null(((Api.ConsentPurpose)99).ToDomain());
    }

    [Fact]
    public void Consent_statuses() => AssertEveryValue(
        [(Api.ConsentStatus.Unknown, ConsentStatus.Unknown), (Api.ConsentStatus.Granted, ConsentStatus.Granted),
         (Api.ConsentStatus.Denied, ConsentStatus.Denied), (Api.ConsentStatus.Withdrawn, ConsentStatus.Withdrawn)],
        p => p.ToDomain(), d => d.ToProto());

    [Fact]
    public void Event_types() => AssertEveryValue(
        [(Api.EventType.Purchase, EventType.Purchase), (Api.EventType.ProductView, EventType.ProductView),
         (Api.EventType.PageView, EventType.PageView), (Api.EventType.AddToCart, EventType.AddToCart),
         (Api.EventType.RemoveFromCart, EventType.RemoveFromCart), (Api.EventType.StoreVisit, EventType.StoreVisit),
         (Api.EventType.EmailOpen, EventType.EmailOpen), (Api.EventType.EmailClick, EventType.EmailClick),
         (Api.EventType.SupportContact, EventType.SupportContact), (Api.EventType.Satisfaction, EventType.Satisfaction),
         (Api.EventType.Review, EventType.Review), (Api.EventType.Custom, EventType.Custom),
         (Api.EventType.MessageSent, EventType.MessageSent), (Api.EventType.Return, EventType.Return),
         (Api.EventType.MessageDelivered, EventType.MessageDelivered), (Api.EventType.MessageBounced, EventType.MessageBounced),
         (Api.EventType.Unsubscribe, EventType.Unsubscribe), (Api.EventType.SubscriptionStart, EventType.SubscriptionStart),
         (Api.EventType.SubscriptionStop, EventType.SubscriptionStop)],
        p => p.ToDomain(), d => d.ToProto(), Api.EventType.Unspecified);

    [Fact]
    public void Payment_kinds() => AssertEveryValue(
        [(Api.PaymentKind.Unspecified, PaymentKind.Unspecified), (Api.PaymentKind.Card, PaymentKind.Card), (Api.PaymentKind.Cash, PaymentKind.Cash),
         (Api.PaymentKind.GiftCard, PaymentKind.GiftCard), (Api.PaymentKind.Voucher, PaymentKind.Voucher), (Api.PaymentKind.Wallet, PaymentKind.Wallet),
         (Api.PaymentKind.BankTransfer, PaymentKind.BankTransfer), (Api.PaymentKind.Instalments, PaymentKind.Instalments), (Api.PaymentKind.Other, PaymentKind.Other)],
        p => p.ToDomain(), d => d.ToProto());

    [Fact]
    public void Support_outcomes() => AssertEveryValue(
        [(Api.SupportOutcome.Unspecified, SupportOutcome.Unspecified), (Api.SupportOutcome.Resolved, SupportOutcome.Resolved),
         (Api.SupportOutcome.Unresolved, SupportOutcome.Unresolved), (Api.SupportOutcome.Escalated, SupportOutcome.Escalated),
         (Api.SupportOutcome.Pending, SupportOutcome.Pending)],
        p => p.ToDomain(), d => d.ToProto());

    [Fact]
    public void Counter_windows() => AssertEveryValue(
        [(Api.CounterWindow._1H, CounterWindow.OneHour), (Api.CounterWindow._24H, CounterWindow.OneDay),
         (Api.CounterWindow._7D, CounterWindow.SevenDays), (Api.CounterWindow._30D, CounterWindow.ThirtyDays),
         (Api.CounterWindow._90D, CounterWindow.NinetyDays), (Api.CounterWindow._365D, CounterWindow.OneYear),
         (Api.CounterWindow.Lifetime, CounterWindow.Lifetime)],
        p => p.ToDomain(), d => d.ToProto(), Api.CounterWindow.Unspecified);

    [Fact]
    public void Comparisons() => AssertEveryValue(
        [(Api.Comparison.Eq, Comparison.Equal), (Api.Comparison.Ne, Comparison.NotEqual), (Api.Comparison.Gt, Comparison.Greater),
         (Api.Comparison.Ge, Comparison.GreaterOrEqual), (Api.Comparison.Lt, Comparison.Less), (Api.Comparison.Le, Comparison.LessOrEqual)],
        p => p.ToDomain(), d => d.ToProto(), Api.Comparison.Unspecified);

    [Fact]
    public void Outward_only_enums_cover_every_domain_value()
    {
        Assert.Equal(
            [Api.TrackOutcome.Accepted, Api.TrackOutcome.Duplicate, Api.TrackOutcome.NotLinked],
            Enum.GetValues<TrackOutcome>().Select(o => o.ToProto()));
        Assert.Equal(
            [Api.ContactDecision.Types.Verdict.Allowed, Api.ContactDecision.Types.Verdict.NoConsent, Api.ContactDecision.Types.Verdict.FrequencyCapped],
            Enum.GetValues<ContactVerdict>().Select(v => v.ToProto()));
        Assert.Equal(
            [Api.SegmentBackfill.Types.Status.Pending, Api.SegmentBackfill.Types.Status.Running, Api.SegmentBackfill.Types.Status.Done],
            Enum.GetValues<BackfillStatus>().Select(s => s.ToProto()));
        Assert.Equal(Enum.GetValues<Api.TrackOutcome>().Length - 1, Enum.GetValues<TrackOutcome>().Length);
        Assert.Equal(Enum.GetValues<Api.ContactDecision.Types.Verdict>().Length - 1, Enum.GetValues<ContactVerdict>().Length);
        Assert.Equal(Enum.GetValues<Api.SegmentBackfill.Types.Status>().Length - 1, Enum.GetValues<BackfillStatus>().Length);
    }

    [Fact]
    public void Values_the_domain_validates_become_undefined_when_unknown()
    {
        Assert.False(Enum.IsDefined(((Api.Gender)99).ToDomain().OrUndefined()));
        Assert.False(Enum.IsDefined(Api.EventType.Unspecified.ToDomain().OrUndefined()));
        Assert.Equal(Gender.Female, Api.Gender.Female.ToDomain().OrUndefined());
    }
}
