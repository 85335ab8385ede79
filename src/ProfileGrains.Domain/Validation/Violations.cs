namespace ProfileGrains.Domain;

/// <summary>Collects every violation of a request so a caller learns all its mistakes at once.</summary>
public sealed class Violations
{
    private readonly List<FieldViolation> _items = [];

    public IReadOnlyList<FieldViolation> Items => _items;

    public bool IsEmpty => _items.Count == 0;

    public void Add(FieldPath field, string description) => _items.Add(new FieldViolation(field.ToString(), description));

    /// <summary>
    /// Characters that change how surrounding text is displayed without being seen (so a name can pass for another, or
    /// a log line be forged): bidi embeddings, overrides and isolates, zero-width space, word joiner, BOM, and the
    /// Unicode line and paragraph separators. Joiners (ZWJ, ZWNJ) and direction marks (LRM, RLM), which real names and
    /// emoji need, stay allowed.
    /// </summary>
    private static readonly System.Buffers.SearchValues<char> Deceptive = System.Buffers.SearchValues.Create(
        "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u2060\uFEFF\u2028\u2029");

    /// <summary>
    /// A person's name part: text as <see cref="RequireText"/>, and nothing that changes how it is displayed without being
    /// seen (<see cref="Deceptive"/>). Other free text (product names, page titles) keeps such characters: refusing an
    /// event over a pasted zero-width space would lose the event.
    /// </summary>
    public bool RequireName(FieldPath field, string? value, int maxLength)
    {
        if (!RequireText(field, value, maxLength, required: false))
        {
            return false;
        }

        if (value is not null && value.AsSpan().ContainsAny(Deceptive))
        {
            Add(field, "must not contain direction overrides or isolates, invisible separators (zero-width space, word joiner, byte-order mark) or line and paragraph separators");
            return false;
        }

        return true;
    }

    public bool RequireText(FieldPath field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "is required");
                return false;
            }

            return true;
        }

        if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
            return false;
        }

        if (value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || value.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            Add(field, "must not contain control characters");
            return false;
        }

        return true;
    }

    public bool RequireMoney(FieldPath field, Money? money, bool required = true, bool allowNegative = false)
    {
        if (money is not { } m)
        {
            if (required)
            {
                Add(field, "is required");
                return false;
            }

            return true;
        }

        if (!IsCurrencyCode(m.CurrencyCode))
        {
            Add(field.Then("currency_code"), "must be a three-letter ISO 4217 code");
            return false;
        }

        if (Math.Abs(m.Amount) > Limits.MaxMoneyAmount || (!allowNegative && m.Amount < 0))
        {
            Add(field, allowNegative ? $"must be within ±{Limits.MaxMoneyAmount}" : $"must be between 0 and {Limits.MaxMoneyAmount}");
            return false;
        }

        return true;
    }

    public static bool IsCurrencyCode(string? code) =>
        code is { Length: 3 } && !code.AsSpan().ContainsAnyExceptInRange('A', 'Z');
}
