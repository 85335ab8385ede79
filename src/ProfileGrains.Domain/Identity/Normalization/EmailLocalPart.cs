using System.Globalization;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>The part of an email address before '@'.</summary>
internal static class EmailLocalPart
{
    public const int MaxLength = 64;
    public const string QuotedError = "quoted local parts (\"...\"@domain) are not accepted";
    private const string AtextSpecials = "!#$%&'*+/=?^_`{|}~-";

    /// <summary>RFC 5322 dot-atom, with internationalised (UTF-8) letters, digits and combining marks allowed as RFC 6531 does.</summary>
    public static bool IsDotAtom(string local, out string error)
    {
        if (local[0] == '.' || local[^1] == '.')
        {
            error = "local part must not start or end with a dot";
            return false;
        }

        if (local.Contains("..", StringComparison.Ordinal))
        {
            error = "local part must not contain two dots in a row";
            return false;
        }

        foreach (var rune in local.EnumerateRunes())
        {
            bool allowed;
            if (rune.IsAscii)
            {
                var c = (char)rune.Value;
                allowed = char.IsAsciiLetterOrDigit(c) || c == '.' || AtextSpecials.Contains(c, StringComparison.Ordinal);
            }
            else
            {
                allowed = Rune.IsLetterOrDigit(rune)
                    || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            }

            if (!allowed)
            {
                error = rune.Value == '"'
                    ? QuotedError
                    : $"local part must not contain {IdentifierText.Describe(rune)}: only letters, digits and {AtextSpecials} separated by single dots";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }
}
