namespace ProfileGrains.Domain.Rules;

/// <summary>The outcome of <see cref="SegmentRule.Compile"/>: a rule, or the reasons there is none.</summary>
public sealed class RuleCompilation
{
    private RuleCompilation(CompiledRule? rule, IReadOnlyList<RuleError> errors)
    {
        Rule = rule;
        Errors = errors;
    }

    public CompiledRule? Rule { get; }

    public IReadOnlyList<RuleError> Errors { get; }

    public bool Succeeded => Rule is not null;

    internal static RuleCompilation Success(CompiledRule rule) => new(rule, []);

    internal static RuleCompilation Failure(IReadOnlyList<RuleError> errors) => new(null, errors);
}
