namespace ProfileGrains.Domain;

/// <summary>
/// A condition written in the rule language (see <see cref="Rules.SegmentRule"/>), compiled once per instance: with the
/// engine's scoring options when the silo's rule cache prepared it (<see cref="CompileWith"/>), otherwise the defaults.
/// </summary>
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

    /// <summary>Compiles the expression once with <paramref name="scoring"/>; the same text always compiles to the same rule.</summary>
    public void CompileWith(ScoringOptions scoring) => _compiled = Rules.SegmentRule.Compile(Expression, scoring).Rule;

    public override bool Holds(CustomerProfile profile, DateTimeOffset now) => Compiled?.Evaluate(profile, now) ?? false;
}
