using System.Globalization;
using System.Text;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// Text a caller chose (a field path naming a map key, a segment id) made safe for a log line: control, format and
/// separator characters become \uXXXX (a lone surrogate becomes U+FFFD), so nobody can forge a line, hide text or break
/// a log parser; long text is cut.
/// </summary>
public static class LogText
{
    public const int MaxLength = 120;

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= MaxLength)
            {
                return builder.Append('…').ToString();
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned
                || rune.Value == '\\')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
