namespace ProfileGrains.Domain.Rules;

/// <summary><c>a and b and c</c>.</summary>
public sealed record AllNode(IReadOnlyList<BoolNode> Operands) : BoolNode(Operands[0].Offset);
