namespace ProfileGrains.Domain.Rules;

/// <summary>Why a rule was refused: where, what is wrong, and what would have been accepted there.</summary>
public sealed record RuleError(RulePosition Position, string Message, IReadOnlyList<string> Expected)
{
    public override string ToString() =>
        Expected.Count == 0 ? $"{Position}: {Message}" : $"{Position}: {Message} (expected {string.Join(", ", Expected)})";
}
