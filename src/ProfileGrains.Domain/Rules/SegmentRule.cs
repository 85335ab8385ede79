namespace ProfileGrains.Domain.Rules;

/// <summary>A rule checked and compiled once: evaluating it never parses.</summary>
public sealed class CompiledRule
{
    internal CompiledRule(string text, Func<CustomerProfile, DateTimeOffset, bool> evaluate, IReadOnlySet<string> inputs)
    {
        Text = text;
        Evaluate = evaluate;
        Inputs = inputs;
    }

    public string Text { get; }

    /// <summary>Whether a profile satisfies the rule at <c>now</c> (the instant that rolling windows and ages are measured from).</summary>
    public Func<CustomerProfile, DateTimeOffset, bool> Evaluate { get; }

    /// <summary>
    /// What the rule reads, so that a profile change only re-evaluates the rules whose inputs it touched:
    /// "counters:&lt;EventType&gt;" (e.g. "counters:Purchase"), "spend", "orders", "last_purchase", "first_purchase",
    /// "birth_date", "consent:&lt;channel&gt;" (e.g. "consent:email"), "interests", "loyalty_tier", "locale".
    /// </summary>
    public IReadOnlySet<string> Inputs { get; }
}

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

/// <summary>Entry point of the segment rule language (see <see cref="RuleParser"/> for the language).</summary>
public static class SegmentRule
{
    public const int MaxLength = 2_000;
    public const int MaxDepth = 32;

    /// <summary>Parses, type-checks and compiles <paramref name="text"/>. Never throws for any input text.</summary>
    public static RuleCompilation Compile(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return RuleCompilation.Failure([new RuleError(RulePosition.NextToken(text ?? string.Empty, 0), "a rule is required", ["a condition"])]);
        }

        var tree = RuleParser.Parse(text, out var syntaxError);
        if (tree is null)
        {
            return RuleCompilation.Failure([syntaxError!]);
        }

        return RuleCompiler.Compile(text, tree);
    }
}

/// <summary>The scoring options rules evaluate scores with; the host sets them once at start-up from configuration.</summary>
public static class RuleScoring
{
    private static ScoringOptions _options = new();

    public static ScoringOptions Options
    {
        get => _options;
        set => _options = value ?? throw new ArgumentNullException(nameof(value));
    }
}
