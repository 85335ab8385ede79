namespace ProfileGrains.Domain.Rules;

public sealed record NumberNode(decimal Value, int Offset) : ValueNode(Offset);
