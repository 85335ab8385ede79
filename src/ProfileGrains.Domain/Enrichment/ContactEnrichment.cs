using System.Collections.Frozen;
using PhoneNumbers;

namespace ProfileGrains.Domain;

/// <summary>
/// What a customer's own contact points say without asking anyone: whether their e-mail is a free mailbox or a company
/// domain (a B2B signal), and their phone's country and kind of line (libphonenumber's metadata, offline).
/// </summary>
public static class ContactEnrichment
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberOfflineGeocoder Geocoder = PhoneNumberOfflineGeocoder.GetInstance();

    // The consumer mailboxes French and European shoppers use most; anything else is read as a company domain.
    private static readonly FrozenSet<string> FreeMailDomains = new[]
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.co.uk", "yahoo.de", "yahoo.es", "yahoo.it", "ymail.com",
        "hotmail.com", "hotmail.fr", "hotmail.co.uk", "hotmail.de", "hotmail.es", "hotmail.it", "outlook.com", "outlook.fr",
        "live.com", "live.fr", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "aol.fr", "orange.fr", "wanadoo.fr",
        "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "bbox.fr", "numericable.fr", "gmx.com", "gmx.fr", "gmx.de", "gmx.net",
        "web.de", "t-online.de", "libero.it", "virgilio.it", "btinternet.com", "mail.ru", "yandex.ru", "yandex.com",
        "protonmail.com", "proton.me", "pm.me", "tutanota.com", "zoho.com", "skynet.be", "bluewin.ch", "telenet.be",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>"free" or "corporate" for a normalized e-mail address; null when it is not one.</summary>
    public static string? EmailKind(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at <= 0 || at == email!.Length - 1 ? null : FreeMailDomains.Contains(email[(at + 1)..]) ? "free" : "corporate";
    }

    /// <summary>The ISO country of an E.164 number ("+33612345678" → "FR"); null when it names none.</summary>
    public static string? PhoneCountry(string? e164) => Parse(e164) is { } number && Phones.GetRegionCodeForNumber(number) is { Length: 2 } region ? region : null;

    /// <summary>The kind of line of an E.164 number: "mobile", "fixed_line", "fixed_line_or_mobile", "toll_free", "voip"…; null when unknown.</summary>
    public static string? PhoneType(string? e164) => Parse(e164) is { } number && Phones.GetNumberType(number) is var type && type != PhoneNumberType.UNKNOWN
        ? type.ToString().ToLowerInvariant()
        : null;

    /// <summary>
    /// Where a number is from, as libphonenumber's offline geocoder says it in English: a city or area for a fixed line
    /// ("Paris", "Lyon"), often just the country for a mobile; null when it says nothing.
    /// </summary>
    public static string? PhoneRegion(string? e164) => Parse(e164) is { } number && Geocoder.GetDescriptionForNumber(number, Locale.English) is { Length: > 0 } place
        ? place
        : null;

    /// <summary>The domain of a normalized e-mail address; null when it is not one.</summary>
    public static string? EmailDomain(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at <= 0 || at == email!.Length - 1 ? null : email[(at + 1)..];
    }

    private static PhoneNumber? Parse(string? e164)
    {
        if (e164 is not { Length: > 1 } || e164[0] != '+')
        {
            return null;
        }

        try
        {
            return Phones.Parse(e164, null);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
