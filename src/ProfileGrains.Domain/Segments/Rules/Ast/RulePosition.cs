namespace ProfileGrains.Domain.Rules;

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
