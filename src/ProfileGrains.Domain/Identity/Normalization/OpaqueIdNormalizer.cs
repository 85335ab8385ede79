using System.Text;

namespace ProfileGrains.Domain;

/// <summary>Anonymous/device and CRM ids (and the base of loyalty ids): trimmed, NFC, bounded, no invisible characters, case kept.</summary>
internal static class OpaqueIdNormalizer
{
    public static string? Normalize(string raw, out string error)
    {
        var value = raw.Trim().Normalize(NormalizationForm.FormC);
        if (value.Length > Limits.MaxOpaqueIdentifierLength)
        {
            error = $"must be at most {Limits.MaxOpaqueIdentifierLength} characters";
            return null;
        }

        if (IdentifierText.ContainsControlOrWhitespace(value))
        {
            error = IdentifierText.InvisibleCharactersError;
            return null;
        }

        error = string.Empty;
        return value;
    }
}
