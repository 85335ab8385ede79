namespace ProfileGrains.Domain.Rules;

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
