namespace ProfileGrains.Domain;

/// <summary>
/// Recognises a payment card number (PAN) sent where an opaque token belongs: keeping one would bring the engine into
/// PCI DSS scope. A whole run of 13 to 19 digits, possibly grouped by spaces or dashes, that passes the Luhn check is
/// one; a longer run of digits is some other identifier.
/// </summary>
public static class PaymentCards
{
    public static bool ContainsCardNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        Span<int> digits = stackalloc int[20];
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            var count = 0;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsAsciiDigit(c))
                {
                    digits[Math.Min(count, digits.Length - 1)] = c - '0';
                    count++;
                }
                else if (c is not (' ' or '-'))
                {
                    break;
                }
            }

            if (count is >= 13 and <= 19 && Luhn(digits[..count]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Luhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }
}
