namespace ProfileGrains.Domain;

/// <summary>Collects every violation of a request so a caller learns all its mistakes at once.</summary>
public sealed class Violations
{
    private readonly List<FieldViolation> _items = [];

    public IReadOnlyList<FieldViolation> Items => _items;

    public bool IsEmpty => _items.Count == 0;

    public void Add(FieldPath field, string description) => _items.Add(new FieldViolation(field.ToString(), description));

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
