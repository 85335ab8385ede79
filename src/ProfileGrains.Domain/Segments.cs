namespace ProfileGrains.Domain;

public enum Comparison
{
    Equal = 1,
    NotEqual = 2,
    Greater = 3,
    GreaterOrEqual = 4,
    Less = 5,
    LessOrEqual = 6,
}

/// <summary>One test over a profile. A segment's rule holds when all its conditions hold.</summary>
[GenerateSerializer, Immutable, Alias("pg.SegmentCondition")]
public abstract record SegmentCondition
{
    public abstract bool Holds(CustomerProfile profile, DateTimeOffset now);

    protected static bool Compare(decimal actual, Comparison comparison, decimal expected) => comparison switch
    {
        Comparison.Equal => actual == expected,
        Comparison.NotEqual => actual != expected,
        Comparison.Greater => actual > expected,
        Comparison.GreaterOrEqual => actual >= expected,
        Comparison.Less => actual < expected,
        Comparison.LessOrEqual => actual <= expected,
        _ => false,
    };
}

[GenerateSerializer, Immutable, Alias("pg.EventCountCondition")]
public sealed record EventCountCondition(
    [property: Id(0)] EventType EventType,
    [property: Id(1)] CounterWindow Window,
    [property: Id(2)] Comparison Comparison,
    [property: Id(3)] long Value) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        Compare(profile.Counters.Count(EventType, Window, now), Comparison, Value);
}

[GenerateSerializer, Immutable, Alias("pg.OrderCountCondition")]
public sealed record OrderCountCondition([property: Id(0)] Comparison Comparison, [property: Id(1)] long Value) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        Compare(profile.Transactions.OrderCount, Comparison, Value);
}

[GenerateSerializer, Immutable, Alias("pg.SpendCondition")]
public sealed record SpendCondition(
    [property: Id(0)] string CurrencyCode,
    [property: Id(1)] Comparison Comparison,
    [property: Id(2)] decimal Amount) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        Compare(profile.Transactions.SpendByCurrency.GetValueOrDefault(CurrencyCode), Comparison, Amount);
}

[GenerateSerializer, Immutable, Alias("pg.ConsentCondition")]
public sealed record ConsentCondition([property: Id(0)] ContactChannel Channel, [property: Id(1)] ConsentStatus Status) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) => profile.ConsentFor(Channel) == Status;
}

[GenerateSerializer, Immutable, Alias("pg.DaysSinceLastPurchaseCondition")]
public sealed record DaysSinceLastPurchaseCondition([property: Id(0)] Comparison Comparison, [property: Id(1)] int Days) : SegmentCondition
{
    public override bool Holds(CustomerProfile profile, DateTimeOffset now) =>
        // A purchase up to the allowed clock skew ahead of this server is a purchase made today, not "-1 days" ago.
        profile.Transactions.LastPurchaseAt is { } last && Compare(Math.Max(0m, (decimal)Math.Floor((now - last).TotalDays)), Comparison, Days);
}

/// <summary>A condition written in the rule language (see <see cref="Rules.SegmentRule"/>), compiled once per instance.</summary>
[GenerateSerializer, Immutable, Alias("pg.ExpressionCondition")]
public sealed record ExpressionCondition([property: Id(0)] string Expression) : SegmentCondition
{
    [NonSerialized]
    private Rules.CompiledRule? _compiled;

    /// <summary>Why the expression does not compile, or null; checked when a segment is defined.</summary>
    public static IReadOnlyList<Rules.RuleError> Check(string expression) => Rules.SegmentRule.Compile(expression).Errors;

    /// <summary>What the expression reads (e.g. "counters:purchase", "last_purchase"), as the compiler found it.</summary>
    public IReadOnlySet<string> Inputs => Compiled?.Inputs ?? System.Collections.Immutable.ImmutableHashSet<string>.Empty;

    // Definitions are checked before they are stored, so a compilation failure cannot happen; match nobody if it does.
    private Rules.CompiledRule? Compiled => _compiled ??= Rules.SegmentRule.Compile(Expression).Rule;

    public override bool Holds(CustomerProfile profile, DateTimeOffset now) => Compiled?.Evaluate(profile, now) ?? false;
}

[GenerateSerializer, Immutable, Alias("pg.SegmentDefinition")]
public sealed record SegmentDefinition(
    [property: Id(0)] string SegmentId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<SegmentCondition> Conditions,
    [property: Id(3)] long Version)
{
    public bool Matches(CustomerProfile profile, DateTimeOffset now)
    {
        foreach (var condition in Conditions)
        {
            if (!condition.Holds(profile, now))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="conditionsRefused">Some conditions were already refused one by one: an empty list is not news then.</param>
    public static void Validate(string segmentId, string? name, IReadOnlyList<SegmentCondition> conditions, Violations v, bool conditionsRefused = false)
    {
        if (string.IsNullOrEmpty(segmentId))
        {
            v.Add("segment.segment_id", "is required");
        }
        else if (segmentId.Length > Limits.MaxSegmentIdLength || !segmentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            v.Add("segment.segment_id", $"must be 1-{Limits.MaxSegmentIdLength} characters: letters, digits, '-' or '_'");
        }

        v.RequireText("segment.name", name, Limits.MaxShortTextLength);
        if (conditions.Count == 0 && !conditionsRefused)
        {
            v.Add("segment.rule.all_of", "at least one condition is required");
        }
        else if (conditions.Count > Limits.MaxSegmentConditions)
        {
            v.Add("segment.rule.all_of", $"at most {Limits.MaxSegmentConditions} conditions");
        }
    }
}

/// <summary>Evaluates every known segment against one profile.</summary>
public static class SegmentEvaluator
{
    public static IReadOnlyCollection<string> MatchingSegments(IEnumerable<SegmentDefinition> definitions, CustomerProfile profile, DateTimeOffset now)
    {
        var matches = new List<string>();
        foreach (var definition in definitions)
        {
            if (definition.Matches(profile, now))
            {
                matches.Add(definition.SegmentId);
            }
        }

        return matches;
    }
}
