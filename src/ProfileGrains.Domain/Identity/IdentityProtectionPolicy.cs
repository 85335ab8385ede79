using System.Collections.Frozen;
using PhoneNumbers;

namespace ProfileGrains.Domain;

/// <summary>
/// The validated, read-only form of <see cref="IdentityProtectionOptions"/>; pure and thread-safe, build one per
/// process. Identifiers given to it must already be normalized by <see cref="IdentifierNormalizer"/>.
/// </summary>
public sealed class IdentityProtectionPolicy
{
    /// <summary>The highest accepted <see cref="IdentityProtectionOptions.MaxLinksPerIdentifierPerDay"/>, to keep link guards small.</summary>
    public const int MaxLinksPerDayCeiling = 1000;

    /// <summary>The longest accepted <see cref="IdentityProtectionOptions.QuarantineDuration"/>.</summary>
    public static readonly TimeSpan MaxQuarantineDuration = TimeSpan.FromDays(365);

    /// <summary>How far back an <see cref="IdentifierLinkGuard"/> counts links.</summary>
    public static readonly TimeSpan LinkWindow = TimeSpan.FromHours(24);

    private static readonly FrozenSet<int> CallingCodes = PhoneNumberUtil.GetInstance().GetSupportedCallingCodes().ToFrozenSet();

    private static readonly IReadOnlyDictionary<IdentifierType, int> DefaultMaxValues =
        new IdentityProtectionOptions().MaxValuesPerType.ToDictionary(kv => Enum.Parse<IdentifierType>(kv.Key), kv => kv.Value);

    private readonly HashSet<string> _emails;
    private readonly HashSet<string> _localParts;
    private readonly HashSet<string> _domains;
    private readonly HashSet<string> _phones;
    private readonly HashSet<string> _opaqueIds;
    private readonly bool _phonePatterns;
    private readonly Dictionary<IdentifierType, int> _maxValues;

    public IdentityProtectionPolicy(IdentityProtectionOptions? options = null)
    {
        options ??= new IdentityProtectionOptions();
        var errors = new List<string>();

        _emails = Entries(options.BlockedEmails, nameof(options.BlockedEmails), errors, StringComparer.Ordinal, lowerCase: true,
            e => IsEmailShaped(e) ? null : "is not an email address");
        _localParts = Entries(options.BlockedEmailLocalParts, nameof(options.BlockedEmailLocalParts), errors, StringComparer.Ordinal, lowerCase: true,
            e => e.Contains('@', StringComparison.Ordinal) ? "must be a local part only, without '@'" : null);
        _domains = Entries(options.BlockedEmailDomains, nameof(options.BlockedEmailDomains), errors, StringComparer.Ordinal, lowerCase: true,
            e => e.Contains('@', StringComparison.Ordinal) || e.StartsWith('.') || e.EndsWith('.')
                ? "must be a domain name such as 'example.com', without '@' or a leading or trailing dot"
                : null);
        _phones = Entries(options.BlockedPhones, nameof(options.BlockedPhones), errors, StringComparer.Ordinal, lowerCase: false,
            e => e.Length is >= 3 and <= 16 && e[0] == '+' && e.Skip(1).All(char.IsAsciiDigit) ? null : "must be in E.164 form, such as '+33612345678'");
        _opaqueIds = Entries(options.BlockedOpaqueIds, nameof(options.BlockedOpaqueIds), errors, StringComparer.OrdinalIgnoreCase, lowerCase: false,
            _ => null);
        _phonePatterns = options.BlockPlaceholderPhonePatterns;

        _maxValues = MaxValues(options.MaxValuesPerType, errors);

        if (options.MaxCustomersPerIdentifier < 2)
        {
            errors.Add($"{nameof(options.MaxCustomersPerIdentifier)} is {options.MaxCustomersPerIdentifier}; it must be at least 2, or no merge could ever happen");
        }

        if (options.MaxLinksPerIdentifierPerDay is < 1 or > MaxLinksPerDayCeiling)
        {
            errors.Add($"{nameof(options.MaxLinksPerIdentifierPerDay)} is {options.MaxLinksPerIdentifierPerDay}; it must be between 1 and {MaxLinksPerDayCeiling}");
        }

        if (options.QuarantineDuration < TimeSpan.Zero || options.QuarantineDuration > MaxQuarantineDuration)
        {
            errors.Add($"{nameof(options.QuarantineDuration)} is {options.QuarantineDuration}; it must be between 0 (until released) and {MaxQuarantineDuration.TotalDays:0} days");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid identity protection options: " + string.Join("; ", errors), nameof(options));
        }

        MaxCustomersPerIdentifier = options.MaxCustomersPerIdentifier;
        MaxLinksPerIdentifierPerDay = options.MaxLinksPerIdentifierPerDay;
        QuarantineDuration = options.QuarantineDuration;
    }

    public int MaxCustomersPerIdentifier { get; }

    public int MaxLinksPerIdentifierPerDay { get; }

    /// <summary>How long a quarantine lasts; zero: until an operator releases it.</summary>
    public TimeSpan QuarantineDuration { get; }

    /// <summary>The end of a quarantine that starts at <paramref name="since"/>, or null when only an operator ends it.</summary>
    public DateTimeOffset? QuarantineEnd(DateTimeOffset since) => QuarantineDuration > TimeSpan.Zero ? since + QuarantineDuration : null;

    /// <summary>
    /// Whether a normalized identifier is a known placeholder that must never identify or merge anyone. The reason
    /// names the rule, never the value (identifier values are personal data and reasons end up in logs).
    /// </summary>
    public bool IsBlocked(CustomerIdentifier id, out string reason)
    {
        var value = id.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            reason = "the identifier has no value";
            return true;
        }

        switch (id.Type)
        {
            case IdentifierType.Email:
                return IsBlockedEmail(value, out reason);
            case IdentifierType.Phone:
                return IsBlockedPhone(value, out reason);
            case IdentifierType.LoyaltyId:
            case IdentifierType.AnonymousId:
            case IdentifierType.CrmId:
                if (_opaqueIds.Contains(value))
                {
                    reason = "the id is a known placeholder";
                    return true;
                }

                if (value.All(c => c == '0' || !char.IsLetterOrDigit(c)))
                {
                    reason = "the id has no letter or digit other than 0";
                    return true;
                }

                reason = string.Empty;
                return false;
            default:
                throw new ArgumentOutOfRangeException(nameof(id), id.Type, "unknown identifier type");
        }
    }

    /// <summary>How many distinct values of a type one customer may hold.</summary>
    public int MaxValues(IdentifierType type) =>
        _maxValues.TryGetValue(type, out var max)
            ? max
            : throw new ArgumentOutOfRangeException(nameof(type), type, "unknown identifier type");

    /// <summary>
    /// The incoming identifiers, not already held, that the customer cannot take: those beyond their type's limit, and
    /// those beyond <see cref="Limits.MaxIdentifiersPerCustomer"/> in all. Incoming identifiers are taken in order, so
    /// the first ones fill the free places and the later ones are reported, in incoming order. An incoming value
    /// repeated is counted once. Blocked identifiers are not looked at: filter them out first. Anonymous ids are never
    /// in excess and take no place: a profile keeps its newest ones (<see cref="CustomerProfile.AddIdentifiers"/>), so
    /// they never block a link or a merge.
    /// </summary>
    public IReadOnlyList<(CustomerIdentifier Identifier, string Reason)> ExcessOverTypeLimits(
        IReadOnlyCollection<CustomerIdentifier> held, IReadOnlyCollection<CustomerIdentifier> incoming)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(incoming);

        var holding = new HashSet<CustomerIdentifier>(held);
        var perType = new Dictionary<IdentifierType, int>();
        foreach (var id in holding)
        {
            perType[id.Type] = perType.GetValueOrDefault(id.Type) + 1;
        }

        var total = holding.Count(id => id.Type != IdentifierType.AnonymousId);
        List<(CustomerIdentifier, string)> excess = [];
        var refused = new HashSet<CustomerIdentifier>();
        foreach (var id in incoming)
        {
            if (holding.Contains(id) || refused.Contains(id) || id.Type == IdentifierType.AnonymousId)
            {
                continue;
            }

            var max = MaxValues(id.Type);
            var count = perType.GetValueOrDefault(id.Type);
            if (count >= max)
            {
                refused.Add(id);
                excess.Add((id, $"a customer may hold at most {max} {id.Type} value{(max == 1 ? string.Empty : "s")}"));
                continue;
            }

            if (total >= Limits.MaxIdentifiersPerCustomer)
            {
                refused.Add(id);
                excess.Add((id, $"a customer may hold at most {Limits.MaxIdentifiersPerCustomer} identifiers"));
                continue;
            }

            holding.Add(id);
            perType[id.Type] = count + 1;
            total++;
        }

        return excess;
    }

    private bool IsBlockedEmail(string value, out string reason)
    {
        if (_emails.Contains(value))
        {
            reason = "the email address is a known placeholder";
            return true;
        }

        var at = value.LastIndexOf('@');
        var local = at < 0 ? value : value[..at];
        if (_localParts.Contains(local))
        {
            reason = $"the email local part '{local}' is a placeholder";
            return true;
        }

        if (at >= 0)
        {
            // The domain and each parent domain: "mail.example.com", "example.com", "com".
            for (var domain = value[(at + 1)..]; domain.Length > 0;)
            {
                if (_domains.Contains(domain))
                {
                    reason = $"the email domain '{domain}' receives no real mail";
                    return true;
                }

                var dot = domain.IndexOf('.');
                domain = dot < 0 ? string.Empty : domain[(dot + 1)..];
            }
        }

        reason = string.Empty;
        return false;
    }

    private bool IsBlockedPhone(string value, out string reason)
    {
        if (_phones.Contains(value))
        {
            reason = "the phone number is a known placeholder";
            return true;
        }

        if (_phonePatterns && NationalSignificantNumber(value) is { } national && IsPlaceholderPattern(national))
        {
            reason = "the phone number is a run of repeated or ascending digits";
            return true;
        }

        reason = string.Empty;
        return false;
    }

    /// <summary>
    /// The digits after the country calling code of a normalized E.164 number. Calling codes form a prefix code (no code
    /// starts another), so the first one to three digits that are a code are it: no second parse of the number.
    /// </summary>
    private static string? NationalSignificantNumber(string e164)
    {
        if (!e164.StartsWith('+'))
        {
            return null;
        }

        for (var length = 1; length <= 3 && length < e164.Length; length++)
        {
            if (int.TryParse(e164.AsSpan(1, length), out var code) && CallingCodes.Contains(code))
            {
                return e164[(1 + length)..];
            }
        }

        return null;
    }

    /// <summary>At least 6 digits, all one digit or ascending by one, either the whole number or after its first digit.</summary>
    internal static bool IsPlaceholderPattern(string national) =>
        IsRepeatedOrAscending(national) || (national.Length > 1 && IsRepeatedOrAscending(national[1..]));

    private static bool IsRepeatedOrAscending(string digits)
    {
        const int minLength = 6;
        if (digits.Length < minLength || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        bool repeated = true, ascending = true;
        for (var i = 1; i < digits.Length; i++)
        {
            repeated &= digits[i] == digits[i - 1];
            ascending &= digits[i] == digits[i - 1] + 1;
        }

        return repeated || ascending;
    }

    /// <summary>Names only: Enum.TryParse would also take "3" or "Email, Phone".</summary>
    private static bool TryParseType(string? name, out IdentifierType type)
    {
        foreach (var candidate in Enum.GetValues<IdentifierType>())
        {
            if (string.Equals(candidate.ToString(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    private static bool IsEmailShaped(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at < value.Length - 1 && value.LastIndexOf('@') == at;
    }

    private static HashSet<string> Entries(
        string[]? values, string name, List<string> errors, StringComparer comparer, bool lowerCase, Func<string, string?> check)
    {
        var set = new HashSet<string>(comparer);
        if (values is null)
        {
            errors.Add($"{name} must not be null");
            return set;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var entry = values[i]?.Trim();
            if (string.IsNullOrEmpty(entry))
            {
                errors.Add($"{name}[{i}] is empty");
                continue;
            }

            if (lowerCase)
            {
                entry = entry.ToLowerInvariant();
            }

            if (check(entry) is { } problem)
            {
                errors.Add($"{name}[{i}] '{entry}' {problem}");
                continue;
            }

            set.Add(entry);
        }

        return set;
    }

    /// <summary>The defaults, overridden per type by configuration; each problem is added to <paramref name="errors"/>.</summary>
    private static Dictionary<IdentifierType, int> MaxValues(Dictionary<string, int>? configured, List<string> errors)
    {
        const string option = nameof(IdentityProtectionOptions.MaxValuesPerType);
        var maxValues = new Dictionary<IdentifierType, int>(DefaultMaxValues);
        if (configured is null)
        {
            errors.Add($"{option} must not be null");
            return maxValues;
        }

        var seen = new HashSet<IdentifierType>();
        foreach (var (key, value) in configured)
        {
            if (!TryParseType(key, out var type))
            {
                errors.Add($"{option} has the unknown identifier type '{key}'; known types are {string.Join(", ", Enum.GetNames<IdentifierType>())}");
            }
            else if (!seen.Add(type))
            {
                errors.Add($"{option} names {type} more than once");
            }
            else if (value is < 1 or > Limits.MaxIdentifiersPerCustomer)
            {
                errors.Add($"{option}[{type}] is {value}; it must be between 1 and {Limits.MaxIdentifiersPerCustomer} (the most identifiers one customer may hold)");
            }
            else
            {
                maxValues[type] = value;
            }
        }

        return maxValues;
    }
}
