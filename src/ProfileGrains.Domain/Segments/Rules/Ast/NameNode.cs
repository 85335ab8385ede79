namespace ProfileGrains.Domain.Rules;

/// <summary>A name such as <c>orders</c> or <c>granted</c>, or a dotted one such as <c>consent.email</c>.</summary>
public sealed record NameNode(string Name, string? Member, int MemberOffset, int Offset) : ValueNode(Offset);
