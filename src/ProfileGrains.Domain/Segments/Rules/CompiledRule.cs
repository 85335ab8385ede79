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
