namespace ProfileGrains.Domain.Rules;

/// <summary>Entry point of the segment rule language (see <see cref="RuleParser"/> for the language).</summary>
public static class SegmentRule
{
    public const int MaxLength = 2_000;
    public const int MaxDepth = 32;

    /// <summary>
    /// Parses, type-checks and compiles <paramref name="text"/>; scores are computed with <paramref name="scoring"/>
    /// (the defaults when null). Never throws for any input text.
    /// </summary>
    public static RuleCompilation Compile(string? text, ScoringOptions? scoring = null)
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

        return RuleCompiler.Compile(text, tree, scoring ?? new ScoringOptions());
    }
}
