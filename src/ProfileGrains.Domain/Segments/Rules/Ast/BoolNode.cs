namespace ProfileGrains.Domain.Rules;

/// <summary>
/// The syntax tree of a segment rule, as written: names and arguments are kept as text, so that
/// <see cref="RuleCompiler"/> can say precisely which one is unknown and where. Offsets are 0-based positions in the rule text.
/// </summary>
public abstract record BoolNode(int Offset);
