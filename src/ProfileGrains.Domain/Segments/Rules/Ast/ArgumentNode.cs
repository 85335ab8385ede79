namespace ProfileGrains.Domain.Rules;

/// <summary>A function argument: a bare word (purchase, 30d, EUR) or a quoted string (<see cref="Quoted"/>), e.g. a category name.</summary>
public sealed record ArgumentNode(string Text, int Offset, bool Quoted = false);
