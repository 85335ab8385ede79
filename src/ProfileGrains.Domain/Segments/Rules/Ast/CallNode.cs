namespace ProfileGrains.Domain.Rules;

/// <summary>A function call such as <c>count(purchase, 30d)</c>.</summary>
public sealed record CallNode(string Name, IReadOnlyList<ArgumentNode> Arguments, int Offset) : ValueNode(Offset);
