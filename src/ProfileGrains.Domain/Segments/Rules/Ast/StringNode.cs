namespace ProfileGrains.Domain.Rules;

public sealed record StringNode(string Value, int Offset) : ValueNode(Offset);
