using Google.Protobuf.WellKnownTypes;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>Segments between protobuf and the domain, both ways: rules and their conditions, and segment views.</summary>
internal static class SegmentMapper
{
    public static Api.Segment Segment(SegmentInfo info)
    {
        var d = info.Definition;
        var rule = new Api.SegmentRule();
        foreach (var condition in d.Conditions)
        {
            rule.AllOf.Add(condition switch
            {
                EventCountCondition e => new Api.Condition
                {
                    EventCount = new Api.EventCountCondition
                    {
                        EventType = e.EventType.ToProto(),
                        Window = e.Window.ToProto(),
                        Comparison = e.Comparison.ToProto(),
                        Value = e.Value,
                    },
                },
                OrderCountCondition o => new Api.Condition { OrderCount = new Api.OrderCountCondition { Comparison = o.Comparison.ToProto(), Value = o.Value } },
                SpendCondition s => new Api.Condition
                {
                    Spend = new Api.SpendCondition { CurrencyCode = s.CurrencyCode, Comparison = s.Comparison.ToProto(), Amount = (double)s.Amount },
                },
                ConsentCondition c => new Api.Condition { Consent = new Api.ConsentCondition { Channel = c.Channel.ToProto(), Status = c.Status.ToProto() } },
                DaysSinceLastPurchaseCondition r => new Api.Condition
                {
                    DaysSinceLastPurchase = new Api.DaysSinceLastPurchaseCondition { Comparison = r.Comparison.ToProto(), Days = r.Days },
                },
                ExpressionCondition x => new Api.Condition { Expression = x.Expression },
                _ => throw new InvalidOperationException($"no protobuf form for {condition.GetType().Name}"),
            });
        }

        var b = info.Backfill;
        var backfill = new Api.SegmentBackfill
        {
            Version = b.Version,
            Status = b.Status.ToProto(),
            CustomersScanned = b.Scanned,
            CustomersTotal = b.Total,
        };
        if (b.StartedAt is { } started)
        {
            backfill.StartedAt = Timestamp.FromDateTimeOffset(started);
        }

        if (b.FinishedAt is { } finished)
        {
            backfill.FinishedAt = Timestamp.FromDateTimeOffset(finished);
        }

        return new Api.Segment
        {
            SegmentId = d.SegmentId,
            Name = d.Name,
            Rule = rule,
            Version = d.Version,
            MemberCount = info.MemberCount,
            Backfill = backfill,
            RequiredConsent = d.RequiredConsent is { } consent
                ? new Api.ActivationConsent { Channel = consent.Channel.ToProto(), Purpose = consent.Purpose.ToProto(), CustomPurpose = consent.PurposeName ?? string.Empty }
                : null,
        };
    }

    /// <summary>Unknown numbers become values the domain does not define, which <see cref="SegmentDefinition.ValidateRule"/> reports.</summary>
    public static ActivationConsent? RequiredConsent(Api.ActivationConsent? consent) =>
        consent is null ? null : new ActivationConsent(consent.Channel.ToConsentChannel().OrUndefined(), consent.Purpose.ToDomain().OrUndefined(), NullIfEmpty(consent.CustomPurpose));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <param name="prefix">Where the rule sits in the request: "segment." in a definition, nothing when it is the request's own field.</param>
    public static List<SegmentCondition> Conditions(Api.SegmentRule? rule, string prefix, Violations v)
    {
        var conditions = new List<SegmentCondition>();
        if (rule is null)
        {
            return conditions;
        }

        for (var i = 0; i < rule.AllOf.Count && i <= Limits.MaxSegmentConditions; i++)
        {
            var field = $"{prefix}rule.all_of[{i}]";
            var c = rule.AllOf[i];
            SegmentCondition? condition = c.KindCase switch
            {
                Api.Condition.KindOneofCase.EventCount => EventCount(c.EventCount, field + ".event_count", v),
                Api.Condition.KindOneofCase.OrderCount when Check(c.OrderCount.Comparison, field + ".order_count.comparison", v) is { } comparison =>
                    new OrderCountCondition(comparison, c.OrderCount.Value),
                Api.Condition.KindOneofCase.Spend => Spend(c.Spend, field + ".spend", v),
                Api.Condition.KindOneofCase.Consent => Consent(c.Consent, field + ".consent", v),
                Api.Condition.KindOneofCase.DaysSinceLastPurchase when Check(c.DaysSinceLastPurchase.Comparison, field + ".days_since_last_purchase.comparison", v) is { } comparison =>
                    c.DaysSinceLastPurchase.Days >= 0
                        ? new DaysSinceLastPurchaseCondition(comparison, c.DaysSinceLastPurchase.Days)
                        : Invalid(v, field + ".days_since_last_purchase.days", "must not be negative"),
                Api.Condition.KindOneofCase.Expression => Expression(c.Expression, field + ".expression", v),
                Api.Condition.KindOneofCase.None => Invalid(v, field, "a condition kind is required"),
                _ => null,
            };
            if (condition is not null)
            {
                conditions.Add(condition);
            }
        }

        return conditions;
    }

    private static SegmentCondition? Expression(string expression, string field, Violations v)
    {
        var errors = ExpressionCondition.Check(expression);
        foreach (var error in errors)
        {
            v.Add(field, error.ToString());
        }

        return errors.Count == 0 ? new ExpressionCondition(expression) : null;
    }

    private static SegmentCondition? EventCount(Api.EventCountCondition c, string field, Violations v)
    {
        var comparison = Check(c.Comparison, field + ".comparison", v);
        var eventType = c.EventType.ToDomain();
        if (eventType is null)
        {
            v.Add(field + ".event_type", "must be a known event type");
        }

        var window = c.Window.ToDomain();
        if (window is null)
        {
            v.Add(field + ".window", "must be a known window");
        }

        return comparison is { } known && eventType is { } type && window is { } counted ? new EventCountCondition(type, counted, known, c.Value) : null;
    }

    /// <summary>A consent condition names a channel and the status it requires; an unknown number in either is refused, never stored.</summary>
    private static SegmentCondition? Consent(Api.ConsentCondition c, string field, Violations v)
    {
        var channel = c.Channel.ToDomain();
        if (channel is null)
        {
            v.Add(field + ".channel", "must be email, sms, phone, post, push or in_store");
        }

        var status = c.Status.ToDomain();
        if (status is null)
        {
            v.Add(field + ".status", "must be unknown, granted or denied");
        }

        return channel is { } known && status is { } required ? new ConsentCondition(known, required) : null;
    }

    private static SegmentCondition? Spend(Api.SpendCondition c, string field, Violations v)
    {
        var comparison = Check(c.Comparison, field + ".comparison", v);
        var ok = comparison is not null;
        if (!Violations.IsCurrencyCode(c.CurrencyCode))
        {
            ok = false;
            v.Add(field + ".currency_code", "must be a three-letter ISO 4217 code");
        }

        if (!double.IsFinite(c.Amount) || Math.Abs(c.Amount) > (double)Limits.MaxMoneyAmount)
        {
            ok = false;
            v.Add(field + ".amount", "must be a finite amount");
        }

        return ok ? new SpendCondition(c.CurrencyCode, comparison!.Value, (decimal)c.Amount) : null;
    }

    private static Comparison? Check(Api.Comparison comparison, string field, Violations v)
    {
        var known = comparison.ToDomain();
        if (known is null)
        {
            v.Add(field, "must be one of EQ, NE, GT, GE, LT, LE");
        }

        return known;
    }

    private static SegmentCondition? Invalid(Violations v, string field, string description)
    {
        v.Add(field, description);
        return null;
    }
}
