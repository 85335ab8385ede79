namespace ProfileGrains.Domain;

/// <summary>
/// Merge protection: which identifier values are junk and must never identify (let alone merge) anyone, how many
/// values of each type one customer may hold, and when an identifier that links too many customers is quarantined.
/// Bindable from configuration. Note that the configuration binder <em>appends</em> configured array items to the
/// defaults below (it does not replace them), and sets dictionary keys one by one; to remove a default, assign the
/// property in code.
/// </summary>
public sealed class IdentityProtectionOptions
{
    /// <summary>Whole normalized email addresses (lower case, ASCII domain) that are placeholders.</summary>
    public string[] BlockedEmails { get; set; } =
    [
        "test@test.com", "a@a.com", "aa@aa.com", "aaa@aaa.com", "abc@abc.com", "x@x.com", "xx@xx.com",
        "email@email.com", "mail@mail.com", "none@none.com", "no@no.com", "na@na.com", "example@example.com",
        "null@null.com", "unknown@unknown.com", "noreply@noreply.com", "no-reply@no-reply.com", "nomail@nomail.com",
        "noemail@noemail.com", "no@email.com", "none@email.com", "noemail@email.com", "asdf@asdf.com",
    ];

    /// <summary>Local parts (the text before '@', compared whole, '+tag' included) that are placeholders at any domain.</summary>
    public string[] BlockedEmailLocalParts { get; set; } =
    [
        "test", "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "none", "null",
        "nomail", "no-mail", "noemail", "no-email", "unknown", "anonymous", "xxx",
    ];

    /// <summary>
    /// Domains that receive no real customer mail: the names reserved for documentation and tests (RFC 2606/6761).
    /// An entry blocks the domain and all its subdomains, so "test" blocks every address under the ".test" TLD.
    /// Disposable-mail domains are deliberately absent: the people behind them are real customers.
    /// </summary>
    public string[] BlockedEmailDomains { get; set; } =
    [
        "example.com", "example.net", "example.org", "test.com", "test", "example", "invalid", "localhost",
    ];

    /// <summary>E.164 numbers that are placeholders (well-known fake numbers typed into forms).</summary>
    public string[] BlockedPhones { get; set; } =
    [
        "+33600000000", "+33611111111", "+33612345678", "+33601234567", "+33601020304", "+33606060606",
        "+33666666666", "+33777777777", "+33123456789", "+33102030405", "+33100000000",
    ];

    /// <summary>
    /// Also block phone numbers whose national significant number — or that number without its first digit (the
    /// mobile/area prefix, as the 6 of French 06) — is at least 6 digits of one repeated digit ("+33666666666",
    /// "+33611111111") or of a run ascending by one ("+33612345678", "+33601234567", "+33123456789"). Descending runs,
    /// pairs ("+33606060606") and wrap-around runs are not matched by the rule; list them in <see cref="BlockedPhones"/>.
    /// </summary>
    public bool BlockPlaceholderPhonePatterns { get; set; } = true;

    /// <summary>
    /// Loyalty, anonymous and CRM ids that are placeholders, compared case-insensitively. Besides these, an opaque id
    /// with no letter or digit other than '0' ("0", "000", "-", "00000000-0000-0000-0000-000000000000") is blocked.
    /// </summary>
    public string[] BlockedOpaqueIds { get; set; } =
    [
        "0", "00000000", "undefined", "null", "(null)", "nil", "nan", "none", "unknown", "anonymous", "guest", "test",
        "na", "n/a", "-",
    ];

    /// <summary>
    /// How many distinct values of one identifier type one customer may hold, keyed by <see cref="IdentifierType"/>
    /// name (case-insensitive). A type missing from the map keeps its default; every value is between 1 and
    /// <see cref="Limits.MaxIdentifiersPerCustomer"/>.
    /// </summary>
    public Dictionary<string, int> MaxValuesPerType { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(IdentifierType.LoyaltyId)] = 1,
        [nameof(IdentifierType.CrmId)] = 1,
        [nameof(IdentifierType.Email)] = 5,
        [nameof(IdentifierType.Phone)] = 5,
        [nameof(IdentifierType.AnonymousId)] = 50,
    };

    /// <summary>An identifier that would pull together more than this many distinct customers in one request is quarantined.</summary>
    public int MaxCustomersPerIdentifier { get; set; } = 3;

    /// <summary>
    /// An identifier may trigger at most this many merges in any 24 hours; the request that would trigger more is
    /// refused and the identifier quarantined.
    /// </summary>
    public int MaxLinksPerIdentifierPerDay { get; set; } = 5;

    /// <summary>
    /// How long a quarantine lasts before the identifier may merge again (its merges counted afresh); zero keeps it until
    /// an operator releases it. An operator can release one early at any time.
    /// </summary>
    public TimeSpan QuarantineDuration { get; set; } = TimeSpan.FromDays(7);
}
