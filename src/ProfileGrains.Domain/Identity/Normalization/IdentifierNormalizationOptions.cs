namespace ProfileGrains.Domain;

/// <summary>
/// How raw identifiers are normalized, bound from <c>ProfileGrains:Identifiers</c>. Every rule that
/// makes two different spellings one identity (and so could merge two people) is off by default; domain lists and
/// aliases are compared case-insensitively and in their canonical (IDNA ASCII, lower case) form.
/// </summary>
public sealed class IdentifierNormalizationOptions
{
    /// <summary>Region used to read phone numbers written without an international prefix (ISO 3166-1 alpha-2).</summary>
    public string DefaultPhoneRegion { get; set; } = "FR";

    /// <summary>
    /// Phone number types accepted, e.g. <c>["Mobile"]</c> for a programme that only sends text messages. Empty (the
    /// default) accepts every number libphonenumber calls valid. Where the number alone cannot tell a fixed line from a
    /// mobile (North America), the number passes if either <see cref="PhoneNumberKind.FixedLine"/> or
    /// <see cref="PhoneNumberKind.Mobile"/> is allowed.
    /// </summary>
    public PhoneNumberKind[] AllowedPhoneTypes { get; set; } = [];

    /// <summary>
    /// Domains whose mailboxes ignore a "+tag" ("jean+promo@gmail.com" is "jean@gmail.com"), e.g. "gmail.com",
    /// "googlemail.com", "outlook.com". Off (empty) by default: folding is only right where the provider really delivers
    /// tagged addresses to one mailbox. The tag starts at the first '+'; an address that would be left with an empty
    /// local part or one ending in a dot ("+tag@…", "jean.+tag@…") is kept as written.
    /// </summary>
    public string[] PlusAddressingDomains { get; set; } = [];

    /// <summary>
    /// Domains whose mailboxes ignore dots in the local part ("jean.dupont@gmail.com" is "jeandupont@gmail.com"), e.g.
    /// "gmail.com". Off (empty) by default: at most providers "jean.dupont" and "jeandupont" are two different people.
    /// </summary>
    public string[] DotInsensitiveDomains { get; set; } = [];

    /// <summary>
    /// Domains that are another name of the same mail service, mapped to the canonical one, e.g.
    /// <c>{ "googlemail.com": "gmail.com" }</c>: "jean@googlemail.com" becomes "jean@gmail.com". Empty by default. A
    /// target must not itself be an alias (map straight to the final domain). The dot and plus rules of a domain apply
    /// to its aliases too, since their addresses are rewritten to it first.
    /// </summary>
    public Dictionary<string, string> DomainAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Loyalty ids are case-folded to upper case ("loy123" is "LOY123"): cards are read and typed both ways.</summary>
    public bool LoyaltyIdUpperCase { get; set; } = true;

    /// <summary>
    /// A .NET regular expression a loyalty id must match as a whole (after trimming and case folding, so write it in
    /// upper case unless <see cref="LoyaltyIdUpperCase"/> is off), e.g. "^LOY[0-9]{10}$"; none by default (any opaque
    /// value). Matched culture-invariantly with a 100 ms timeout; an invalid pattern stops the engine at start-up.
    /// </summary>
    public string? LoyaltyIdPattern { get; set; }

    /// <summary>
    /// The check digit scheme of loyalty ids, computed over their ASCII digits (letters and separators are ignored):
    /// <see cref="CheckDigitAlgorithm.None"/> (the default), <see cref="CheckDigitAlgorithm.Luhn"/> or
    /// <see cref="CheckDigitAlgorithm.Mod97"/> (ISO 7064 MOD 97-10, as in IBANs). Catches typing mistakes at the till.
    /// </summary>
    public CheckDigitAlgorithm LoyaltyCheckDigit { get; set; }

    /// <summary>
    /// Older switch kept for existing configurations: true means <see cref="LoyaltyCheckDigit"/> = Luhn. Setting it
    /// together with <see cref="CheckDigitAlgorithm.Mod97"/> is refused at start-up.
    /// </summary>
    public bool LoyaltyIdLuhnCheck { get; set; }
}
