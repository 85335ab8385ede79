namespace ProfileGrains.Domain.Rules;

/// <summary><c>a or b or c</c>.</summary>
public sealed record AnyNode(IReadOnlyList<BoolNode> Operands) : BoolNode(Operands[0].Offset);
