namespace ProfileGrains.Domain.Rules;

public abstract record ValueNode(int Offset);
