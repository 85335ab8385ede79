namespace ProfileGrains.Domain.Rules;

/// <summary>
/// The syntax tree of a segment rule, as written: names and arguments are kept as text, so that
/// <see cref="RuleCompiler"/> can say precisely which one is unknown and where. Offsets are 0-based positions in the rule text.
/// </summary>
public abstract record BoolNode(int Offset);

/// <summary><c>a or b or c</c>.</summary>
public sealed record AnyNode(IReadOnlyList<BoolNode> Operands) : BoolNode(Operands[0].Offset);

/// <summary><c>a and b and c</c>.</summary>
public sealed record AllNode(IReadOnlyList<BoolNode> Operands) : BoolNode(Operands[0].Offset);

/// <summary><c>not a</c> (a chain of <c>not</c> is folded: two cancel out).</summary>
public sealed record NotNode(BoolNode Operand, int Offset) : BoolNode(Offset);

/// <summary><c>left op right</c>, where op is a comparison operator, <c>contains</c> or <c>in</c>.</summary>
public sealed record ComparisonNode(ValueNode Left, string Operator, int OperatorOffset, ValueNode Right) : BoolNode(Left.Offset);

public abstract record ValueNode(int Offset);

public sealed record NumberNode(decimal Value, int Offset) : ValueNode(Offset);

public sealed record StringNode(string Value, int Offset) : ValueNode(Offset);

/// <summary>A name such as <c>orders</c> or <c>granted</c>, or a dotted one such as <c>consent.email</c>.</summary>
public sealed record NameNode(string Name, string? Member, int MemberOffset, int Offset) : ValueNode(Offset);

/// <summary>A function call such as <c>count(purchase, 30d)</c>.</summary>
public sealed record CallNode(string Name, IReadOnlyList<ArgumentNode> Arguments, int Offset) : ValueNode(Offset);

/// <summary>A function argument: a word such as <c>purchase</c>, <c>30d</c> or <c>EUR</c>.</summary>
public sealed record ArgumentNode(string Text, int Offset);

/// <summary>A position in the rule text: 0-based offset, 1-based line and column (in UTF-16 code units).</summary>
public readonly record struct RulePosition(int Offset, int Line, int Column)
{
    public static RulePosition At(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new RulePosition(offset, line, offset - lineStart + 1);
    }

    /// <summary>The position of the first character at or after <paramref name="offset"/> that is not white space.</summary>
    public static RulePosition NextToken(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        while (offset < text.Length && char.IsWhiteSpace(text[offset]))
        {
            offset++;
        }

        return At(text, offset);
    }

    public override string ToString() => $"line {Line}, column {Column}";
}

/// <summary>Why a rule was refused: where, what is wrong, and what would have been accepted there.</summary>
public sealed record RuleError(RulePosition Position, string Message, IReadOnlyList<string> Expected)
{
    public override string ToString() =>
        Expected.Count == 0 ? $"{Position}: {Message}" : $"{Position}: {Message} (expected {string.Join(", ", Expected)})";
}
