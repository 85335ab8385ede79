using System.Globalization;

namespace ProfileGrains.Domain;

/// <summary>
/// When a customer id was minted: ids are version-7 GUIDs in "N" form, whose first 48 bits are Unix milliseconds.
/// Null for an id of any other shape (the caller then assumes it is old).
/// </summary>
public static class CustomerIdTime
{
    public static DateTimeOffset? Of(string customerId)
    {
        if (customerId.Length != 32 || customerId[12] != '7'
            || !long.TryParse(customerId.AsSpan(0, 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }
}
