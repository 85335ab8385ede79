namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.SegmentDefinition")]
public sealed record SegmentDefinition(
    [property: Id(0)] string SegmentId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<SegmentCondition> Conditions,
    [property: Id(3)] long Version,
    [property: Id(4)] ActivationConsent? RequiredConsent = null)
{
    public bool Matches(CustomerProfile profile, DateTimeOffset now)
    {
        if (RequiredConsent is { } consent && !consent.PermittedBy(profile))
        {
            return false;
        }

        // Indexed: enumerating the interface would allocate an enumerator per rule, per event.
        for (var i = 0; i < Conditions.Count; i++)
        {
            if (!Conditions[i].Holds(profile, now))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="conditionsRefused">Some conditions were already refused one by one: an empty list is not news then.</param>
    public static void Validate(string segmentId, string? name, IReadOnlyList<SegmentCondition> conditions, Violations v, bool conditionsRefused = false, ActivationConsent? requiredConsent = null)
    {
        ValidateRequiredConsent(requiredConsent, "segment.", v);
        ValidateIdAndName(segmentId, name, v);
        ValidateConditionCount(conditions, "segment.", v, conditionsRefused);
    }

    /// <summary>A definition's id and name (fields "segment.segment_id" and "segment.name").</summary>
    public static void ValidateIdAndName(string segmentId, string? name, Violations v)
    {
        ValidateId(segmentId, "segment.segment_id", v);
        v.RequireText("segment.name", name, Limits.MaxShortTextLength);
    }

    /// <summary>
    /// The rule alone (conditions and required consent), its fields named under <paramref name="prefix"/>: "segment."
    /// for a definition, nothing for a rule sent on its own (an estimate).
    /// </summary>
    public static void ValidateRule(IReadOnlyList<SegmentCondition> conditions, ActivationConsent? requiredConsent, string prefix, Violations v, bool conditionsRefused = false)
    {
        ValidateRequiredConsent(requiredConsent, prefix, v);
        ValidateConditionCount(conditions, prefix, v, conditionsRefused);
    }

    private static void ValidateRequiredConsent(ActivationConsent? requiredConsent, string prefix, Violations v)
    {
        if (requiredConsent is { } consent)
        {
            if (!Enum.IsDefined(consent.Channel))
            {
                v.Add(prefix + "required_consent.channel", "must be email, sms, phone, post, push or in_store, or unset for every channel");
            }
            else if (consent.Channel == ContactChannel.All && consent.Purpose == ConsentPurpose.Marketing)
            {
                v.Add(prefix + "required_consent.channel", "marketing consent is given channel by channel: name the channel");
            }

            if (!Enum.IsDefined(consent.Purpose))
            {
                v.Add(prefix + "required_consent.purpose", "must be marketing, personalization, profiling, partner_sharing or custom");
            }

            TraitsValidator.CustomPurpose(consent.Purpose, consent.PurposeName, prefix + "required_consent.custom_purpose", v);
        }
    }

    private static void ValidateConditionCount(IReadOnlyList<SegmentCondition> conditions, string prefix, Violations v, bool conditionsRefused)
    {
        if (conditions.Count == 0 && !conditionsRefused)
        {
            v.Add(prefix + "rule.all_of", "at least one condition is required");
        }
        else if (conditions.Count > Limits.MaxSegmentConditions)
        {
            v.Add(prefix + "rule.all_of", $"at most {Limits.MaxSegmentConditions} conditions");
        }
    }

    /// <summary>A segment id names a grain and appears in URLs and metrics: letters, digits, '-' and '_' only.</summary>
    public static void ValidateId(string? segmentId, string field, Violations v)
    {
        if (string.IsNullOrEmpty(segmentId))
        {
            v.Add(field, "is required");
        }
        else if (segmentId.Length > Limits.MaxSegmentIdLength || !segmentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            v.Add(field, $"must be 1-{Limits.MaxSegmentIdLength} characters: letters, digits, '-' or '_'");
        }
    }
}
