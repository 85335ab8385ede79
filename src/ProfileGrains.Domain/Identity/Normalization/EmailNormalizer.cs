using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// Emails: trimmed, NFC, one '@'; local part an RFC 5322 dot-atom (UTF-8 letters allowed as in RFC 6531, no quoted
/// form) of at most 64 characters, folded to lower case; domain in its IDNA ASCII form (<see cref="MailDomain"/>); the
/// address at most 254 characters; then the configured domain aliases, dot and plus folding.
/// </summary>
internal sealed class EmailNormalizer
{
    private const int MaxEmailLength = 254;

    private readonly Dictionary<string, string> _domainAliases;
    private readonly HashSet<string> _plusAddressingDomains;
    private readonly HashSet<string> _dotInsensitiveDomains;

    public EmailNormalizer(IdentifierNormalizationOptions options)
    {
        _domainAliases = DomainAliases(options);
        _plusAddressingDomains = ConfiguredDomainSet(nameof(options.PlusAddressingDomains), options.PlusAddressingDomains);
        _dotInsensitiveDomains = ConfiguredDomainSet(nameof(options.DotInsensitiveDomains), options.DotInsensitiveDomains);
    }

    public string? Normalize(string raw, out string error)
    {
        if (!TrySplit(raw.Trim().Normalize(NormalizationForm.FormC), out var local, out var domain, out error)
            || !EmailLocalPart.IsDotAtom(local, out error)
            || MailDomain.Canonical(domain, out error) is not { } asciiDomain)
        {
            return null;
        }

        if (local.Length + 1 + asciiDomain.Length > MaxEmailLength)
        {
            error = $"must be at most {MaxEmailLength} characters (counting the domain in its ASCII form)";
            return null;
        }

        var normalized = Fold(local, _domainAliases.GetValueOrDefault(asciiDomain, asciiDomain));
        if (normalized.Length > MaxEmailLength)
        {
            // Only an alias to a longer domain can get here; refused so that a stored value always normalizes to itself.
            error = $"must be at most {MaxEmailLength} characters once its domain alias is applied";
            return null;
        }

        return normalized;
    }

    private static bool TrySplit(string value, out string local, out string domain, out string error)
    {
        (local, domain) = (string.Empty, string.Empty);
        var at = value.IndexOf('@', StringComparison.Ordinal);
        error = value.StartsWith('"') ? EmailLocalPart.QuotedError
            : IdentifierText.ContainsControlOrWhitespace(value) ? IdentifierText.InvisibleCharactersError
            : at < 0 ? "must be a local part, '@', and a domain"
            : value.IndexOf('@', at + 1) >= 0 ? "must contain only one '@'"
            : at == 0 ? "local part (before '@') must not be empty"
            : at > EmailLocalPart.MaxLength ? $"local part must be at most {EmailLocalPart.MaxLength} characters"
            : string.Empty;
        if (error.Length > 0)
        {
            return false;
        }

        local = value[..at];
        domain = value[(at + 1)..];
        if (domain.EndsWith('.'))
        {
            domain = domain[..^1]; // "example.com." is the fully qualified spelling of "example.com"
        }

        return true;
    }

    /// <summary>Lower case, then the rules configured for the domain: dots that do not count, "+tag" that does not count.</summary>
    private string Fold(string local, string domain)
    {
        var folded = local.ToLowerInvariant().Normalize(NormalizationForm.FormC);
        if (_dotInsensitiveDomains.Contains(domain))
        {
            folded = folded.Replace(".", string.Empty, StringComparison.Ordinal);
        }

        if (_plusAddressingDomains.Contains(domain) && folded.IndexOf('+', StringComparison.Ordinal) is > 0 and var plus && folded[plus - 1] != '.')
        {
            folded = folded[..plus];
        }

        return folded + "@" + domain;
    }

    private static Dictionary<string, string> DomainAliases(IdentifierNormalizationOptions options)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in options.DomainAliases ?? [])
        {
            var alias = MailDomain.Configured(nameof(options.DomainAliases), from);
            var target = MailDomain.Configured(nameof(options.DomainAliases), to);
            if (alias == target)
            {
                continue;
            }

            if (aliases.TryGetValue(alias, out var other) && other != target)
            {
                throw new ArgumentException($"DomainAliases: '{alias}' is mapped both to '{other}' and to '{target}'", nameof(options));
            }

            aliases[alias] = target;
        }

        foreach (var (alias, target) in aliases)
        {
            if (aliases.ContainsKey(target))
            {
                throw new ArgumentException(
                    $"DomainAliases: '{alias}' maps to '{target}', which is itself an alias; map it straight to the final domain", nameof(options));
            }
        }

        return aliases;
    }

    private HashSet<string> ConfiguredDomainSet(string option, string[]? domains)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in domains ?? [])
        {
            if (!string.IsNullOrWhiteSpace(domain))
            {
                var canonical = MailDomain.Configured(option, domain);
                set.Add(_domainAliases.GetValueOrDefault(canonical, canonical));
            }
        }

        return set;
    }
}
