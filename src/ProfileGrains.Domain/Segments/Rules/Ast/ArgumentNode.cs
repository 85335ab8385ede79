namespace ProfileGrains.Domain.Rules;

/// <summary>A function argument: a word such as <c>purchase</c>, <c>30d</c> or <c>EUR</c>.</summary>
public sealed record ArgumentNode(string Text, int Offset);
