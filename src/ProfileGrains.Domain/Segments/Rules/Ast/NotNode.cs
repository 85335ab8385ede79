namespace ProfileGrains.Domain.Rules;

/// <summary><c>not a</c> (a chain of <c>not</c> is folded: two cancel out).</summary>
public sealed record NotNode(BoolNode Operand, int Offset) : BoolNode(Offset);
