namespace ProfileGrains.Domain.Rules;

/// <summary><c>left op right</c>, where op is a comparison operator, <c>contains</c> or <c>in</c>.</summary>
public sealed record ComparisonNode(ValueNode Left, string Operator, int OperatorOffset, ValueNode Right) : BoolNode(Left.Offset);
