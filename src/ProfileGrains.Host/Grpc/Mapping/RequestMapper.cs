using System.Text;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// Turns protobuf requests into validated domain values. Every problem is collected with the protobuf path of its
/// field, so one INVALID_ARGUMENT tells the caller everything that is wrong.
/// </summary>
public sealed class RequestMapper(IdentifierNormalizer normalizer, EngineClock clock, Microsoft.Extensions.Options.IOptions<ProfileGrainsOptions> options)
{
    private const int MaxOperatorReasonLength = 500;
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    /// <summary>A segment definition's conditions and required consent, checked with its id and name (field names under "segment.").</summary>
    public (List<SegmentCondition> Conditions, ActivationConsent? RequiredConsent) Segment(Api.Segment segment, Violations v)
    {
        var rule = SegmentRule(segment.Rule, segment.RequiredConsent, "segment.", v);
        SegmentDefinition.ValidateIdAndName(segment.SegmentId, segment.Name, v);
        return rule;
    }

    /// <summary>A rule and its required consent, checked exactly as in a definition, their fields named under <paramref name="prefix"/>.</summary>
    public (List<SegmentCondition> Conditions, ActivationConsent? RequiredConsent) SegmentRule(
        Api.SegmentRule? rule, Api.ActivationConsent? consent, string prefix, Violations v)
    {
        var before = v.Items.Count;
        var conditions = SegmentMapper.Conditions(rule, prefix, v);
        var requiredConsent = SegmentMapper.RequiredConsent(consent);
        SegmentDefinition.ValidateRule(conditions, requiredConsent, prefix, v, conditionsRefused: v.Items.Count > before);
        if (requiredConsent is not null)
        {
            ConfiguredPurpose(requiredConsent.Purpose, requiredConsent.PurposeName, prefix + "required_consent.custom_purpose", v);
        }

        return (conditions, requiredConsent);
    }

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// A caller's operation id (a data-subject request): 1-128 characters of A-Z a-z 0-9 . _ : - (nothing that could
    /// carry an email), or a fresh one when none is given.
    /// </summary>
    public string OperationId(string value, string field, Violations v)
    {
        if (value.Length == 0)
        {
            return Guid.CreateVersion7().ToString("N");
        }

        if (value.Length > 128 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
        {
            v.Add(field, "must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'");
        }

        return value;
    }

    /// <summary>Every identifier must be well formed (events): each malformed one is a violation of the request.</summary>
    public IReadOnlyList<CustomerIdentifier> Identifiers(RepeatedField<Api.Identifier> identifiers, string field, Violations v)
    {
        var readings = IdentifiersOneByOne(identifiers, field, v);
        readings.AddRejectionsTo(v);
        return readings.Usable;
    }

    /// <summary>
    /// Each identifier read on its own: the malformed ones are set aside with their reasons (the caller decides whether
    /// they fail the request); a count out of bounds is a violation of the request.
    /// </summary>
    public IdentifierReadings IdentifiersOneByOne(RepeatedField<Api.Identifier> identifiers, string field, Violations v)
    {
        if (identifiers.Count == 0)
        {
            v.Add(field, "at least one identifier is required");
            return IdentifierReadings.None;
        }

        if (identifiers.Count > Limits.MaxIdentifiersPerRequest)
        {
            v.Add(field, $"at most {Limits.MaxIdentifiersPerRequest} identifiers");
            return IdentifierReadings.None;
        }

        var normalized = new CustomerIdentifier?[identifiers.Count];
        var rejections = new FieldViolation?[identifiers.Count];
        for (var i = 0; i < identifiers.Count; i++)
        {
            var one = new Violations();
            normalized[i] = Identifier(identifiers[i], $"{field}[{i}]", one);
            rejections[i] = one.IsEmpty ? null : one.Items[0];
        }

        return new IdentifierReadings(normalized, rejections);
    }

    public CustomerIdentifier? Identifier(Api.Identifier? identifier, string field, Violations v)
    {
        if (identifier is null)
        {
            v.Add(field, "is required");
            return null;
        }

        var type = identifier.Type.ToDomain();
        if (type is null)
        {
            v.Add(field + ".type", "must be email, phone, loyalty id, anonymous id or CRM id");
            return null;
        }

        if (!normalizer.TryNormalize(type.Value, identifier.Value, out var normalized, out var error))
        {
            v.Add(field + ".value", error);
            return null;
        }

        return normalized;
    }

    /// <summary>The identifier whose quarantine an operator ends, by value or by key as listed; the identifier too when given by value.</summary>
    public (IdentityKey Key, CustomerIdentifier? Identifier) QuarantineTarget(Api.ReleaseQuarantineRequest request, Violations v, Func<CustomerIdentifier, IdentityKey> keyOf)
    {
        switch (request.TargetCase)
        {
            case Api.ReleaseQuarantineRequest.TargetOneofCase.Identifier:
                return Identifier(request.Identifier, "identifier", v) is { } identifier ? (keyOf(identifier), identifier) : (default, null);
            case Api.ReleaseQuarantineRequest.TargetOneofCase.IdentifierKey:
                if (!IdentityKey.TryParse(request.IdentifierKey, out var key))
                {
                    v.Add("identifier_key", "must be the 32 hexadecimal digits ListQuarantinedIdentifiers gives");
                }

                return (key, null);
            default:
                v.Add("target", "an identifier or an identifier_key is required");
                return (default, null);
        }
    }

    /// <summary>Why an operator acts: kept in history, so required, printable and bounded.</summary>
    public static string OperatorReason(string? reason, string field, Violations v)
    {
        var text = reason?.Trim() ?? string.Empty;
        if (text.Length is 0 or > MaxOperatorReasonLength || text.Any(char.IsControl))
        {
            v.Add(field, $"must be 1-{MaxOperatorReasonLength} characters without control characters: say why, for the audit trail");
        }

        return text;
    }

    /// <summary>1-64 characters: letters, digits, '-' or '_'.</summary>
    private static bool IsCustomerId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A merge id as the merge history names it: "absorbed>survivor", two customer ids.</summary>
    public static void MergeId(string mergeId, string field, Violations v)
    {
        var parts = mergeId.Split('>');
        if (parts.Length != 2 || !parts.All(IsCustomerId))
        {
            v.Add(field, "must be a merge id as the merge history gives it: two customer ids joined by '>'");
        }
    }

    /// <summary>Validates a customer reference; returns the customer id, or the identifier to resolve.</summary>
    public (string? CustomerId, CustomerIdentifier? Identifier) CustomerRef(Api.CustomerRef? reference, string field, Violations v)
    {
        switch (reference?.RefCase)
        {
            case Api.CustomerRef.RefOneofCase.CustomerId:
                var id = reference.CustomerId;
                if (!IsCustomerId(id))
                {
                    v.Add(field + ".customer_id", "must be 1-64 characters: letters, digits, '-' or '_'");
                    return (null, null);
                }

                return (id, null);
            case Api.CustomerRef.RefOneofCase.Identifier:
                return (null, Identifier(reference.Identifier, field + ".identifier", v));
            default:
                v.Add(field, "a customer_id or an identifier is required");
                return (null, null);
        }
    }

    /// <summary>
    /// An event, its identifiers read one by one: a malformed identifier is set aside in <paramref name="readings"/>
    /// and the event counts through the others; it fails only when none is usable or the event itself is invalid
    /// (then every problem is reported, the malformed identifiers included).
    /// </summary>
    public TrackedEvent? Event(Api.Event? e, string field, Violations v, out IdentifierReadings readings)
    {
        readings = IdentifierReadings.None;
        if (e is null)
        {
            v.Add(field, "is required");
            return null;
        }

        var before = v.Items.Count;
        readings = IdentifiersOneByOne(e.Identifiers, field + ".identifiers", v);
        var identifiers = readings.Usable;
        if (identifiers.Count == 0)
        {
            readings.AddRejectionsTo(v);
        }

        var occurredAt = Timestamp(e.OccurredAt, field + ".occurred_at", v, required: true);
        var type = e.Type.ToDomain().OrUndefined();
        var channel = e.Channel.ToDomain().OrUndefined();
        if (e.Channel == Api.Channel.Unspecified)
        {
            v.Add(field + ".channel", "is required");
        }

        var payload = Payload(e, field, v);
        TrackedEvent? tracked = null;
        if (v.Items.Count == before)
        {
            tracked = new TrackedEvent(e.EventId, type, occurredAt ?? default, channel, identifiers, payload);
            EventValidator.Validate(tracked, Now, field, v);
        }

        if (v.Items.Count == before)
        {
            return tracked;
        }

        if (identifiers.Count > 0)
        {
            readings.AddRejectionsTo(v);
        }

        return null;
    }

    private EventPayload? Payload(Api.Event e, string field, Violations v) => e.PayloadCase switch
    {
        Api.Event.PayloadOneofCase.Purchase => new PurchasePayload(
            e.Purchase.OrderId,
            Money(e.Purchase.Total, field + ".purchase.total", v) ?? default,
            Lines(e.Purchase.Items, field + ".purchase", v),
            NullIfEmpty(e.Purchase.StoreId),
            Money(e.Purchase.Discount, field + ".purchase.discount", v),
            e.Purchase.PaymentKind.ToDomain().OrUndefined(),
            NullIfEmpty(e.Purchase.PaymentInstrument)),
        Api.Event.PayloadOneofCase.ProductReturn => new ReturnPayload(
            e.ProductReturn.OrderId,
            Money(e.ProductReturn.Refund, field + ".product_return.refund", v) ?? default,
            Lines(e.ProductReturn.Items, field + ".product_return", v),
            NullIfEmpty(e.ProductReturn.StoreId),
            NullIfEmpty(e.ProductReturn.Reason)),
        Api.Event.PayloadOneofCase.ProductView => new ProductPayload(e.ProductView.Sku, NullIfEmpty(e.ProductView.Category), 1, null),
        Api.Event.PayloadOneofCase.PageView => new PageViewPayload(e.PageView.Path),
        Api.Event.PayloadOneofCase.AddToCart => Cart(e.AddToCart, field + ".add_to_cart", v),
        Api.Event.PayloadOneofCase.RemoveFromCart => Cart(e.RemoveFromCart, field + ".remove_from_cart", v),
        Api.Event.PayloadOneofCase.StoreVisit => new StoreVisitPayload(e.StoreVisit.StoreId),
        Api.Event.PayloadOneofCase.EmailOpen => Interaction(e.EmailOpen),
        Api.Event.PayloadOneofCase.EmailClick => Interaction(e.EmailClick),
        Api.Event.PayloadOneofCase.SupportContact => new SupportPayload(NullIfEmpty(e.SupportContact.Topic), e.SupportContact.Outcome.ToDomain().OrUndefined()),
        Api.Event.PayloadOneofCase.Satisfaction => new ScorePayload(e.Satisfaction.Score, null, NullIfEmpty(e.Satisfaction.Comment)),
        Api.Event.PayloadOneofCase.Review => new ScorePayload(e.Review.Rating, NullIfEmpty(e.Review.Sku), NullIfEmpty(e.Review.Text), e.Review.Suggestion),
        Api.Event.PayloadOneofCase.Custom => new CustomPayload(e.Custom.Name, new Dictionary<string, string>(e.Custom.Properties)),
        Api.Event.PayloadOneofCase.MessageSent => Message(e.MessageSent),
        Api.Event.PayloadOneofCase.MessageDelivered => Message(e.MessageDelivered),
        Api.Event.PayloadOneofCase.MessageBounced => Message(e.MessageBounced),
        Api.Event.PayloadOneofCase.Unsubscribe => Message(e.Unsubscribe),
        Api.Event.PayloadOneofCase.SubscriptionStart => new SubscriptionPayload(e.SubscriptionStart.Plan, NullIfEmpty(e.SubscriptionStart.Reason)),
        Api.Event.PayloadOneofCase.SubscriptionStop => new SubscriptionPayload(e.SubscriptionStop.Plan, NullIfEmpty(e.SubscriptionStop.Reason)),
        _ => null,
    };

    private IReadOnlyList<LineItem> Lines(IEnumerable<Api.LineItem> items, string field, Violations v) =>
        [.. items.Take(Limits.MaxLineItems + 1).Select((item, i) => new LineItem(
            item.Sku,
            NullIfEmpty(item.Category),
            item.Quantity,
            Money(item.UnitPrice, $"{field}.items[{i}].unit_price", v),
            Money(item.Discount, $"{field}.items[{i}].discount", v)))];

    private static MessagePayload Message(Api.MessageSent message) => new(message.Channel.ToDomain().OrUndefined(), NullIfEmpty(message.Campaign));

    private static CampaignPayload Interaction(Api.EmailInteraction interaction) =>
        new(NullIfEmpty(interaction.Campaign), interaction.Channel == Api.ContactChannel.Unspecified ? ContactChannel.Email : interaction.Channel.ToDomain().OrUndefined());

    private ProductPayload Cart(Api.CartChange cart, string field, Violations v) =>
        new(cart.Sku, NullIfEmpty(cart.Category), cart.Quantity == 0 ? 1 : cart.Quantity, Money(cart.UnitPrice, field + ".unit_price", v));

    /// <summary>Identify semantics: every field that is set is applied; custom attributes and consents merge.</summary>
    public TraitsUpdate TraitsFromSetFields(Api.ProfileTraits? traits, string field, Violations v)
    {
        if (traits is null)
        {
            return new TraitsUpdate(ProfileTraits.Empty, []);
        }

        return new TraitsUpdate(Traits(traits, field, v), [.. SetPaths(traits)]);
    }

    /// <summary>
    /// Identify semantics: the traits sent are applied, except those that are malformed, which are left unchanged and
    /// listed in <paramref name="rejected"/> with the trait path they kept from changing. A problem that belongs to
    /// no single trait is a violation of the request.
    /// </summary>
    public TraitsUpdate TraitsAcceptingWhatIsValid(Api.ProfileTraits? traits, string field, Violations v, out IReadOnlyList<TraitRejection> rejected)
    {
        rejected = [];
        if (traits is null)
        {
            return new TraitsUpdate(ProfileTraits.Empty, []);
        }

        var problems = new Violations();
        var values = Traits(traits, field, problems);
        var paths = SetPaths(traits).ToList();
        if (problems.IsEmpty)
        {
            return new TraitsUpdate(values, paths);
        }

        var rejections = new List<TraitRejection>();
        foreach (var problem in problems.Items)
        {
            var relative = problem.Field.StartsWith(field + ".", StringComparison.Ordinal) ? problem.Field[(field.Length + 1)..] : string.Empty;
            var spoiled = paths.Where(p => Covers(p, relative) || Covers(relative, p)).ToList();
            if (spoiled.Count == 0)
            {
                v.Add(problem.Field, problem.Description);
                continue;
            }

            rejections.AddRange(spoiled.Select(p => new TraitRejection(problem.Field, problem.Description, p)));
        }

        rejected = rejections;
        var left = rejections.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        return new TraitsUpdate(values, [.. paths.Where(p => !left.Contains(p))]);

        // "addresses" covers "addresses[0].city"; "custom_attributes" covers "custom_attributes.size".
        static bool Covers(string path, string field) =>
            field.Length > 0 && field.StartsWith(path, StringComparison.Ordinal) && (field.Length == path.Length || field[path.Length] is '.' or '[');
    }

    /// <summary>UpdateProfile semantics: exactly the masked paths change; a masked field left empty is cleared.</summary>
    public TraitsUpdate TraitsWithMask(Api.ProfileTraits? traits, FieldMask? mask, Violations v)
    {
        if (mask is null || mask.Paths.Count == 0)
        {
            v.Add("update_mask", "at least one path is required, e.g. \"name.given_name\"");
            return new TraitsUpdate(ProfileTraits.Empty, []);
        }

        for (var i = 0; i < mask.Paths.Count; i++)
        {
            var path = mask.Paths[i];
            if (!TraitsUpdater.IsSupportedPath(path) || path.Length > 128)
            {
                v.Add($"update_mask.paths[{i}]", $"'{Truncate(path)}' is not an updatable path");
            }
        }

        var values = Traits(traits ?? new Api.ProfileTraits(), "traits", v);
        return new TraitsUpdate(values, [.. mask.Paths.Distinct(StringComparer.Ordinal)]);
    }

    private ProfileTraits Traits(Api.ProfileTraits t, string field, Violations v)
    {
        var n = t.Name ?? new Api.PersonName();
        var traits = new ProfileTraits
        {
            Name = new PersonName(Text(n.GivenName), Text(n.FamilyName), Text(n.MiddleNames), Text(n.MaidenName), Text(n.Nickname), Text(n.Title)),
            BirthDate = Date(t.BirthDate, field + ".birth_date", v),
            Gender = t.Gender.ToDomain().OrUndefined(),
            Locale = NullIfEmpty(t.Locale),
            Addresses = [.. t.Addresses.Take(Limits.MaxAddresses + 1).Select(a => new PostalAddress(
                Text(a.Label), [.. a.Lines.Take(Limits.MaxAddressLines + 1).Select(l => Text(l) ?? string.Empty)], Text(a.PostalCode), Text(a.City), Text(a.Region), NullIfEmpty(a.CountryCode)))],
            Occupation = Text(t.Occupation),
            Company = t.Company is { } c
                ? new Company(Text(c.Name), c.Employees == 0 ? null : c.Employees, Money(c.AnnualRevenue, field + ".company.annual_revenue", v), Text(c.LegalForm), Text(c.Industry))
                : null,
            Preferences = t.Preferences is { } p
                ? new Preferences(
                    [.. p.Interests.Take(Limits.MaxSetItems + 1).Select(s => Text(s) ?? string.Empty).Distinct(StringComparer.Ordinal)],
                    new Dictionary<string, string>(p.Sizes),
                    Text(p.FavouriteDepartment),
                    [.. p.LifeEvents.Take(Limits.MaxSetItems + 1).Select(s => Text(s) ?? string.Empty).Distinct(StringComparer.Ordinal)],
                    [.. p.Sports.Take(Limits.MaxSetItems + 1).Select(s => Text(s) ?? string.Empty).Distinct(StringComparer.Ordinal)],
                    p.LifeEventDates.Count == 0 ? null : LifeEventDates(p.LifeEventDates, field + ".preferences.life_event_dates", v))
                : Preferences.Empty,
            CustomAttributes = new Dictionary<string, string>(t.CustomAttributes),
            Consents = [.. t.Consents.Take(Limits.MaxConsentsPerRequest).Select((c, i) => new ConsentDecision(
                c.Channel.ToConsentChannel().OrUndefined(),
                c.Status.ToDomain().OrUndefined(),
                DecisionTime(c.DecidedAt, $"{field}.consents[{i}].decided_at", v),
                Text(c.Source),
                c.Purpose.ToDomain().OrUndefined(),
                Text(c.WordingVersion),
                Text(c.RequestId),
                NullIfEmpty(c.CustomPurpose)))],
            LoyaltyTier = Text(t.LoyaltyTier),
        };

        if (t.Consents.Count > Limits.MaxConsentsPerRequest)
        {
            v.Add(field + ".consents", "at most one decision per channel and purpose");
        }

        TraitsValidator.Validate(traits, DateOnly.FromDateTime(Now.UtcDateTime), field, v);
        for (var i = 0; i < traits.Consents.Count; i++)
        {
            ConfiguredPurpose(traits.Consents[i].Purpose, traits.Consents[i].PurposeName, $"{field}.consents[{i}].custom_purpose", v);
        }

        return traits;
    }

    /// <summary>A retailer's own purpose must be one this engine is configured with (ProfileGrains:ConsentPurposes).</summary>
    public void ConfiguredPurpose(ConsentPurpose purpose, string? name, string field, Violations v)
    {
        if (purpose == ConsentPurpose.Custom && ConsentDecision.IsPurposeName(name) && !_purposes.Contains(name!))
        {
            v.Add(field, _purposes.Count == 0
                ? "no purpose of the retailer's own is configured (ProfileGrains:ConsentPurposes)"
                : $"'{name}' is not one of the configured purposes: {string.Join(", ", _purposes.Order(StringComparer.Ordinal))}");
        }
    }

    private readonly HashSet<string> _purposes = new(options.Value.ConsentPurposes, StringComparer.Ordinal);

    private static Money? Money(Api.Money? money, string field, Violations v)
    {
        if (money is null)
        {
            return null;
        }

        if (money.Nanos is <= -1_000_000_000 or >= 1_000_000_000 || (money.Units > 0 && money.Nanos < 0) || (money.Units < 0 && money.Nanos > 0))
        {
            v.Add(field + ".nanos", "must be within ±999,999,999 and have the sign of units");
            return null;
        }

        if (money.Units is > (long)Limits.MaxMoneyAmount or < -(long)Limits.MaxMoneyAmount)
        {
            v.Add(field + ".units", $"must be within ±{Limits.MaxMoneyAmount}");
            return null;
        }

        if (!Violations.IsCurrencyCode(money.CurrencyCode))
        {
            v.Add(field + ".currency_code", "must be a three-letter ISO 4217 code such as 'EUR'");
            return null;
        }

        return new Money(money.CurrencyCode, money.Units + (money.Nanos / 1_000_000_000m));
    }

    private static DateTimeOffset? Timestamp(Timestamp? timestamp, string field, Violations v, bool required)
    {
        if (timestamp is null)
        {
            if (required)
            {
                v.Add(field, "is required");
            }

            return null;
        }

        if (timestamp.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || timestamp.Nanos is < 0 or > 999_999_999)
        {
            v.Add(field, "is not a valid timestamp");
            return null;
        }

        return timestamp.ToDateTimeOffset();
    }

    /// <summary>A consent decided in the future would outrank every real decision, an opt-out included: refuse it.</summary>
    private DateTimeOffset DecisionTime(Timestamp? timestamp, string field, Violations v)
    {
        if (Timestamp(timestamp, field, v, required: true) is not { } at)
        {
            return default;
        }

        if (at > Now + Limits.MaxClockSkew)
        {
            v.Add(field, $"must not be more than {Limits.MaxClockSkew.TotalMinutes:0} minutes in the future");
        }
        else if (at < Limits.EarliestEventTime)
        {
            v.Add(field, $"must not be before {Limits.EarliestEventTime:yyyy-MM-dd}");
        }

        return at;
    }

    private static Dictionary<string, DateOnly> LifeEventDates(IDictionary<string, Api.Date> dates, string field, Violations v)
    {
        var result = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var (name, date) in dates.Take(Limits.MaxSetItems + 1))
        {
            if (Date(date, $"{field}[{name}]", v) is { } day)
            {
                result[name] = day;
            }
        }

        return result;
    }

    private static DateOnly? Date(Api.Date? date, string field, Violations v)
    {
        if (date is null)
        {
            return null;
        }

        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            v.Add(field, "is not a valid calendar date");
            return null;
        }

        return new DateOnly(date.Year, date.Month, date.Day);
    }

    private static string? Text(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().Normalize(NormalizationForm.FormC);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The trait paths a request sets, in the order of the profile; each custom attribute is a path of its own.</summary>
    private static IEnumerable<string> SetPaths(Api.ProfileTraits t)
    {
        var n = t.Name ?? new Api.PersonName();
        var p = t.Preferences ?? new Api.Preferences();
        (string Path, bool IsSet)[] fields =
        [
            ("name.given_name", n.GivenName.Length > 0),
            ("name.family_name", n.FamilyName.Length > 0),
            ("name.middle_names", n.MiddleNames.Length > 0),
            ("name.maiden_name", n.MaidenName.Length > 0),
            ("name.nickname", n.Nickname.Length > 0),
            ("name.title", n.Title.Length > 0),
            ("birth_date", t.BirthDate is not null),
            ("gender", t.Gender != Api.Gender.Unspecified),
            ("locale", t.Locale.Length > 0),
            ("occupation", t.Occupation.Length > 0),
            ("loyalty_tier", t.LoyaltyTier.Length > 0),
            ("addresses", t.Addresses.Count > 0),
            ("company", t.Company is not null),
            ("preferences.interests", p.Interests.Count > 0),
            ("preferences.sizes", p.Sizes.Count > 0),
            ("preferences.life_events", p.LifeEvents.Count > 0),
            ("preferences.life_event_dates", p.LifeEventDates.Count > 0),
            ("preferences.sports", p.Sports.Count > 0),
            ("preferences.favourite_department", p.FavouriteDepartment.Length > 0),
        ];
        return fields.Where(f => f.IsSet).Select(f => f.Path)
            .Concat(t.CustomAttributes.Keys.Select(k => "custom_attributes." + k))
            .Concat(t.Consents.Count > 0 ? ["consents"] : []);
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
