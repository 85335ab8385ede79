using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// Every protobuf enum and its domain counterpart, value by value, in both directions. Explicit tables, never numeric
/// casts, so renumbering either side cannot silently change meaning: <c>ToDomain</c> answers null for UNSPECIFIED and for
/// numbers this build does not know (callers refuse them with the field), <c>ToProto</c> covers every domain value.
/// </summary>
internal static class ProtoEnums
{
    public static IdentifierType? ToDomain(this Api.IdentifierType value) => value switch
    {
        Api.IdentifierType.Email => IdentifierType.Email,
        Api.IdentifierType.Phone => IdentifierType.Phone,
        Api.IdentifierType.LoyaltyId => IdentifierType.LoyaltyId,
        Api.IdentifierType.AnonymousId => IdentifierType.AnonymousId,
        Api.IdentifierType.CrmId => IdentifierType.CrmId,
        _ => null,
    };

    public static Api.IdentifierType ToProto(this IdentifierType value) => value switch
    {
        IdentifierType.Email => Api.IdentifierType.Email,
        IdentifierType.Phone => Api.IdentifierType.Phone,
        IdentifierType.LoyaltyId => Api.IdentifierType.LoyaltyId,
        IdentifierType.AnonymousId => Api.IdentifierType.AnonymousId,
        IdentifierType.CrmId => Api.IdentifierType.CrmId,
        _ => throw Unmapped(value),
    };

    public static Channel? ToDomain(this Api.Channel value) => value switch
    {
        Api.Channel.Unspecified => Channel.Unspecified,
        Api.Channel.Web => Channel.Web,
        Api.Channel.App => Channel.App,
        Api.Channel.Store => Channel.Store,
        Api.Channel.CallCentre => Channel.CallCentre,
        Api.Channel.Email => Channel.Email,
        _ => null,
    };

    public static Api.Channel ToProto(this Channel value) => value switch
    {
        Channel.Unspecified => Api.Channel.Unspecified,
        Channel.Web => Api.Channel.Web,
        Channel.App => Api.Channel.App,
        Channel.Store => Api.Channel.Store,
        Channel.CallCentre => Api.Channel.CallCentre,
        Channel.Email => Api.Channel.Email,
        _ => throw Unmapped(value),
    };

    public static Gender? ToDomain(this Api.Gender value) => value switch
    {
        Api.Gender.Unspecified => Gender.Unspecified,
        Api.Gender.Female => Gender.Female,
        Api.Gender.Male => Gender.Male,
        Api.Gender.NonBinary => Gender.NonBinary,
        Api.Gender.Undisclosed => Gender.Undisclosed,
        _ => null,
    };

    public static Api.Gender ToProto(this Gender value) => value switch
    {
        Gender.Unspecified => Api.Gender.Unspecified,
        Gender.Female => Api.Gender.Female,
        Gender.Male => Api.Gender.Male,
        Gender.NonBinary => Api.Gender.NonBinary,
        Gender.Undisclosed => Api.Gender.Undisclosed,
        _ => throw Unmapped(value),
    };

    public static ContactChannel? ToDomain(this Api.ContactChannel value) => value switch
    {
        Api.ContactChannel.Email => ContactChannel.Email,
        Api.ContactChannel.Sms => ContactChannel.Sms,
        Api.ContactChannel.Phone => ContactChannel.Phone,
        Api.ContactChannel.Post => ContactChannel.Post,
        Api.ContactChannel.Push => ContactChannel.Push,
        Api.ContactChannel.InStore => ContactChannel.InStore,
        _ => null,
    };

    /// <summary>In a consent decision an unset channel means every channel (for purposes not tied to one).</summary>
    public static ContactChannel? ToConsentChannel(this Api.ContactChannel value) =>
        value == Api.ContactChannel.Unspecified ? ContactChannel.All : value.ToDomain();

    public static Api.ContactChannel ToProto(this ContactChannel value) => value switch
    {
        ContactChannel.Email => Api.ContactChannel.Email,
        ContactChannel.Sms => Api.ContactChannel.Sms,
        ContactChannel.Phone => Api.ContactChannel.Phone,
        ContactChannel.Post => Api.ContactChannel.Post,
        ContactChannel.Push => Api.ContactChannel.Push,
        ContactChannel.InStore => Api.ContactChannel.InStore,
        ContactChannel.All => Api.ContactChannel.Unspecified,
        _ => throw Unmapped(value),
    };

    /// <summary>Unset reads as marketing: what every decision meant before purposes existed.</summary>
    public static ConsentPurpose? ToDomain(this Api.ConsentPurpose value) => value switch
    {
        Api.ConsentPurpose.Unspecified or Api.ConsentPurpose.Marketing => ConsentPurpose.Marketing,
        Api.ConsentPurpose.Personalization => ConsentPurpose.Personalization,
        Api.ConsentPurpose.Profiling => ConsentPurpose.Profiling,
        Api.ConsentPurpose.PartnerSharing => ConsentPurpose.PartnerSharing,
        Api.ConsentPurpose.Custom => ConsentPurpose.Custom,
        _ => null,
    };

    public static Api.ConsentPurpose ToProto(this ConsentPurpose value) => value switch
    {
        ConsentPurpose.Marketing => Api.ConsentPurpose.Marketing,
        ConsentPurpose.Personalization => Api.ConsentPurpose.Personalization,
        ConsentPurpose.Profiling => Api.ConsentPurpose.Profiling,
        ConsentPurpose.PartnerSharing => Api.ConsentPurpose.PartnerSharing,
        ConsentPurpose.Custom => Api.ConsentPurpose.Custom,
        _ => throw Unmapped(value),
    };

    public static ConsentStatus? ToDomain(this Api.ConsentStatus value) => value switch
    {
        Api.ConsentStatus.Unknown => ConsentStatus.Unknown,
        Api.ConsentStatus.Granted => ConsentStatus.Granted,
        Api.ConsentStatus.Denied => ConsentStatus.Denied,
        Api.ConsentStatus.Withdrawn => ConsentStatus.Withdrawn,
        _ => null,
    };

    public static Api.ConsentStatus ToProto(this ConsentStatus value) => value switch
    {
        ConsentStatus.Unknown => Api.ConsentStatus.Unknown,
        ConsentStatus.Granted => Api.ConsentStatus.Granted,
        ConsentStatus.Denied => Api.ConsentStatus.Denied,
        ConsentStatus.Withdrawn => Api.ConsentStatus.Withdrawn,
        _ => throw Unmapped(value),
    };

    public static EventType? ToDomain(this Api.EventType value) => value switch
    {
        Api.EventType.Purchase => EventType.Purchase,
        Api.EventType.ProductView => EventType.ProductView,
        Api.EventType.PageView => EventType.PageView,
        Api.EventType.AddToCart => EventType.AddToCart,
        Api.EventType.RemoveFromCart => EventType.RemoveFromCart,
        Api.EventType.StoreVisit => EventType.StoreVisit,
        Api.EventType.EmailOpen => EventType.EmailOpen,
        Api.EventType.EmailClick => EventType.EmailClick,
        Api.EventType.SupportContact => EventType.SupportContact,
        Api.EventType.Satisfaction => EventType.Satisfaction,
        Api.EventType.Review => EventType.Review,
        Api.EventType.Custom => EventType.Custom,
        Api.EventType.MessageSent => EventType.MessageSent,
        Api.EventType.Return => EventType.Return,
        Api.EventType.MessageDelivered => EventType.MessageDelivered,
        Api.EventType.MessageBounced => EventType.MessageBounced,
        Api.EventType.Unsubscribe => EventType.Unsubscribe,
        Api.EventType.SubscriptionStart => EventType.SubscriptionStart,
        Api.EventType.SubscriptionStop => EventType.SubscriptionStop,
        _ => null,
    };

    public static Api.EventType ToProto(this EventType value) => value switch
    {
        EventType.Purchase => Api.EventType.Purchase,
        EventType.ProductView => Api.EventType.ProductView,
        EventType.PageView => Api.EventType.PageView,
        EventType.AddToCart => Api.EventType.AddToCart,
        EventType.RemoveFromCart => Api.EventType.RemoveFromCart,
        EventType.StoreVisit => Api.EventType.StoreVisit,
        EventType.EmailOpen => Api.EventType.EmailOpen,
        EventType.EmailClick => Api.EventType.EmailClick,
        EventType.SupportContact => Api.EventType.SupportContact,
        EventType.Satisfaction => Api.EventType.Satisfaction,
        EventType.Review => Api.EventType.Review,
        EventType.Custom => Api.EventType.Custom,
        EventType.MessageSent => Api.EventType.MessageSent,
        EventType.Return => Api.EventType.Return,
        EventType.MessageDelivered => Api.EventType.MessageDelivered,
        EventType.MessageBounced => Api.EventType.MessageBounced,
        EventType.Unsubscribe => Api.EventType.Unsubscribe,
        EventType.SubscriptionStart => Api.EventType.SubscriptionStart,
        EventType.SubscriptionStop => Api.EventType.SubscriptionStop,
        _ => throw Unmapped(value),
    };

    /// <summary>Unset is a known value here: how it was paid is optional.</summary>
    public static PaymentKind? ToDomain(this Api.PaymentKind value) => value switch
    {
        Api.PaymentKind.Unspecified => PaymentKind.Unspecified,
        Api.PaymentKind.Card => PaymentKind.Card,
        Api.PaymentKind.Cash => PaymentKind.Cash,
        Api.PaymentKind.GiftCard => PaymentKind.GiftCard,
        Api.PaymentKind.Voucher => PaymentKind.Voucher,
        Api.PaymentKind.Wallet => PaymentKind.Wallet,
        Api.PaymentKind.BankTransfer => PaymentKind.BankTransfer,
        Api.PaymentKind.Instalments => PaymentKind.Instalments,
        Api.PaymentKind.Other => PaymentKind.Other,
        _ => null,
    };

    public static Api.PaymentKind ToProto(this PaymentKind value) => value switch
    {
        PaymentKind.Unspecified => Api.PaymentKind.Unspecified,
        PaymentKind.Card => Api.PaymentKind.Card,
        PaymentKind.Cash => Api.PaymentKind.Cash,
        PaymentKind.GiftCard => Api.PaymentKind.GiftCard,
        PaymentKind.Voucher => Api.PaymentKind.Voucher,
        PaymentKind.Wallet => Api.PaymentKind.Wallet,
        PaymentKind.BankTransfer => Api.PaymentKind.BankTransfer,
        PaymentKind.Instalments => Api.PaymentKind.Instalments,
        PaymentKind.Other => Api.PaymentKind.Other,
        _ => throw Unmapped(value),
    };

    public static SupportOutcome? ToDomain(this Api.SupportOutcome value) => value switch
    {
        Api.SupportOutcome.Unspecified => SupportOutcome.Unspecified,
        Api.SupportOutcome.Resolved => SupportOutcome.Resolved,
        Api.SupportOutcome.Unresolved => SupportOutcome.Unresolved,
        Api.SupportOutcome.Escalated => SupportOutcome.Escalated,
        Api.SupportOutcome.Pending => SupportOutcome.Pending,
        _ => null,
    };

    public static Api.SupportOutcome ToProto(this SupportOutcome value) => value switch
    {
        SupportOutcome.Unspecified => Api.SupportOutcome.Unspecified,
        SupportOutcome.Resolved => Api.SupportOutcome.Resolved,
        SupportOutcome.Unresolved => Api.SupportOutcome.Unresolved,
        SupportOutcome.Escalated => Api.SupportOutcome.Escalated,
        SupportOutcome.Pending => Api.SupportOutcome.Pending,
        _ => throw Unmapped(value),
    };

    public static Api.TrackOutcome ToProto(this TrackOutcome value) => value switch
    {
        TrackOutcome.Accepted => Api.TrackOutcome.Accepted,
        TrackOutcome.Duplicate => Api.TrackOutcome.Duplicate,
        TrackOutcome.NotLinked => Api.TrackOutcome.NotLinked,
        _ => throw Unmapped(value),
    };

    public static CounterWindow? ToDomain(this Api.CounterWindow value) => value switch
    {
        Api.CounterWindow._1H => CounterWindow.OneHour,
        Api.CounterWindow._24H => CounterWindow.OneDay,
        Api.CounterWindow._7D => CounterWindow.SevenDays,
        Api.CounterWindow._30D => CounterWindow.ThirtyDays,
        Api.CounterWindow._90D => CounterWindow.NinetyDays,
        Api.CounterWindow._365D => CounterWindow.OneYear,
        Api.CounterWindow.Lifetime => CounterWindow.Lifetime,
        _ => null,
    };

    public static Api.CounterWindow ToProto(this CounterWindow value) => value switch
    {
        CounterWindow.OneHour => Api.CounterWindow._1H,
        CounterWindow.OneDay => Api.CounterWindow._24H,
        CounterWindow.SevenDays => Api.CounterWindow._7D,
        CounterWindow.ThirtyDays => Api.CounterWindow._30D,
        CounterWindow.NinetyDays => Api.CounterWindow._90D,
        CounterWindow.OneYear => Api.CounterWindow._365D,
        CounterWindow.Lifetime => Api.CounterWindow.Lifetime,
        _ => throw Unmapped(value),
    };

    public static Comparison? ToDomain(this Api.Comparison value) => value switch
    {
        Api.Comparison.Eq => Comparison.Equal,
        Api.Comparison.Ne => Comparison.NotEqual,
        Api.Comparison.Gt => Comparison.Greater,
        Api.Comparison.Ge => Comparison.GreaterOrEqual,
        Api.Comparison.Lt => Comparison.Less,
        Api.Comparison.Le => Comparison.LessOrEqual,
        _ => null,
    };

    public static Api.Comparison ToProto(this Comparison value) => value switch
    {
        Comparison.Equal => Api.Comparison.Eq,
        Comparison.NotEqual => Api.Comparison.Ne,
        Comparison.Greater => Api.Comparison.Gt,
        Comparison.GreaterOrEqual => Api.Comparison.Ge,
        Comparison.Less => Api.Comparison.Lt,
        Comparison.LessOrEqual => Api.Comparison.Le,
        _ => throw Unmapped(value),
    };

    public static Api.ContactDecision.Types.Verdict ToProto(this ContactVerdict value) => value switch
    {
        ContactVerdict.Allowed => Api.ContactDecision.Types.Verdict.Allowed,
        ContactVerdict.NoConsent => Api.ContactDecision.Types.Verdict.NoConsent,
        ContactVerdict.FrequencyCapped => Api.ContactDecision.Types.Verdict.FrequencyCapped,
        _ => throw Unmapped(value),
    };

    public static Api.SegmentBackfill.Types.Status ToProto(this BackfillStatus value) => value switch
    {
        BackfillStatus.Pending => Api.SegmentBackfill.Types.Status.Pending,
        BackfillStatus.Running => Api.SegmentBackfill.Types.Status.Running,
        BackfillStatus.Done => Api.SegmentBackfill.Types.Status.Done,
        _ => throw Unmapped(value),
    };

    /// <summary>
    /// For values the domain validates itself (event type and channel, gender, consents): an unknown or unspecified
    /// number becomes a value the domain does not define, so the domain's validation reports it, with its field and
    /// message, in the same pass as every other problem of the request.
    /// </summary>
    public static T OrUndefined<T>(this T? known)
        where T : struct, Enum => known ?? (T)Enum.ToObject(typeof(T), -1);

    private static ArgumentOutOfRangeException Unmapped<T>(T value)
        where T : struct, Enum =>
        new(nameof(value), value, $"{typeof(T).Name} {value} has no protobuf counterpart; add it to {nameof(ProtoEnums)}");
}
