using System.Globalization;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>Text checks every identifier type shares, and safe quoting of a character in an error message.</summary>
internal static class IdentifierText
{
    public const string InvisibleCharactersError =
        "must not contain spaces, control characters or invisible formatting characters (zero-width, direction marks)";

    /// <summary>Whitespace, control and format characters (zero-width, direction marks, BOM, tags), by code point.</summary>
    public static bool ContainsControlOrWhitespace(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A character as it can be quoted safely in an error message: printable ASCII as is, anything else as U+XXXX.</summary>
    public static string Describe(Rune rune) =>
        rune.Value is >= 0x20 and < 0x7F ? $"'{(char)rune.Value}'" : $"U+{rune.Value:X4}";

    public static string Describe(char c) => char.IsSurrogate(c) ? "a character outside the Basic Multilingual Plane" : Describe(new Rune(c));
}
