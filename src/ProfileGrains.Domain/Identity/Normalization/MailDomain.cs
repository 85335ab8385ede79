using System.Globalization;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>Mail domains: one canonical form (IDNA ASCII, lower case, no root dot) and the rules a real mail domain follows.</summary>
internal static class MailDomain
{
    public const int MaxLength = 253;
    public const int MaxLabelLength = 63;

    /// <summary>
    /// The canonical form of a mail domain (IDNA ASCII, lower case, no root dot) or null with the reason: labels of
    /// 1-63 letters, digits and hyphens (STD3), at most 253 characters, at least one dot, a top-level domain not all digits.
    /// </summary>
    public static string? Canonical(string domain, out string error)
    {
        if (domain.Length == 0)
        {
            error = "domain (after '@') must not be empty";
            return null;
        }

        if (domain[0] == '[')
        {
            error = "address literals such as [192.0.2.1] are not accepted as a domain";
            return null;
        }

        // Structure first where it can be read as is, so the message names the rule broken rather than "not a host name".
        if (Ascii.IsValid(domain) && StructureError(domain) is { } structural)
        {
            error = structural;
            return null;
        }

        string ascii;
        try
        {
            // One canonical form for internationalised domains: "bücher.de" and "xn--bcher-kva.de" are the same.
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "domain is not a valid host name: labels of letters, digits and hyphens (or internationalised letters), "
                + $"1-{MaxLabelLength} characters, not starting or ending with a hyphen, at most {MaxLength} characters in all";
            return null;
        }

        if (StructureError(ascii) is { } afterIdna)
        {
            error = afterIdna;
            return null;
        }

        error = string.Empty;
        return ascii;
    }

    private static string? StructureError(string ascii)
    {
        if (ascii.Length > MaxLength)
        {
            return $"domain must be at most {MaxLength} characters";
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            return "domain must contain a dot (a host name such as 'localhost' is not a mail domain)";
        }

        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return "domain must not contain an empty label (a leading dot or two dots in a row)";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"each label of the domain (the parts between dots) must be at most {MaxLabelLength} characters";
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return "top-level domain must not be all digits (IP addresses are not accepted as a domain)";
        }

        return null;
    }

    /// <summary>A domain named in configuration, in canonical form; a value that is not a mail domain stops the engine.</summary>
    public static string Configured(string option, string? domain)
    {
        var value = (domain ?? string.Empty).Trim().Normalize(NormalizationForm.FormC);
        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        return Canonical(value, out var error)
            ?? throw new ArgumentException($"{option}: '{domain}' is not a mail domain: {error}");
    }
}
