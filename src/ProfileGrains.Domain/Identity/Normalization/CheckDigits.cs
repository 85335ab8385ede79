namespace ProfileGrains.Domain;

/// <summary>
/// Check digit verification over the ASCII digits of a value; other characters (a "LOY" prefix, dashes) are ignored,
/// so "LOY-7992-7398-713" is checked as 79927398713.
/// </summary>
internal static class CheckDigits
{
    public const int LuhnMinDigits = 2;
    public const int Mod97MinDigits = 3;

    public static int CountDigits(string value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Luhn over the digits of the value, the last one being the check digit; false under 2 digits.</summary>
    public static bool LuhnIsValid(string value)
    {
        if (CountDigits(value) < LuhnMinDigits)
        {
            return false;
        }

        var sum = 0;
        var position = 0; // from the right, the check digit being position 0
        for (var i = value.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                continue;
            }

            var d = value[i] - '0';
            if (position % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            position++;
        }

        return sum % 10 == 0;
    }

    /// <summary>ISO 7064 MOD 97-10 over the digits of the value (the last two are the check digits); false under 3 digits.</summary>
    public static bool Mod97IsValid(string value)
    {
        if (CountDigits(value) < Mod97MinDigits)
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
        }

        return remainder == 1;
    }

    /// <summary>The two check digits ISO 7064 MOD 97-10 appends to <paramref name="digits"/> (for tests and tools).</summary>
    public static string Mod97CheckDigits(string digits)
    {
        var remainder = 0;
        foreach (var c in digits + "00")
        {
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
        }

        return (98 - remainder).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }
}
