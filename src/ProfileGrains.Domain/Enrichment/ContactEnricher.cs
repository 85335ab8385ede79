namespace ProfileGrains.Domain;

/// <summary>
/// Built in: from the first e-mail, its domain and kind (free mailbox or company: a B2B signal); from the first phone,
/// its country, kind of line and region (libphonenumber's metadata and offline geocoder).
/// </summary>
public sealed class ContactEnricher : IProfileEnricher
{
    public IReadOnlySet<string> Reads { get; } = new HashSet<string>(["identifiers"], StringComparer.Ordinal);

    public void Enrich(CustomerProfile profile, IDictionary<string, string> into)
    {
        var email = profile.FirstIdentifier(IdentifierType.Email);
        Put(into, "email_domain", ContactEnrichment.EmailDomain(email));
        Put(into, "email_kind", ContactEnrichment.EmailKind(email));
        var phone = profile.FirstIdentifier(IdentifierType.Phone);
        Put(into, "phone_country", ContactEnrichment.PhoneCountry(phone));
        Put(into, "phone_type", ContactEnrichment.PhoneType(phone));
        Put(into, "phone_region", ContactEnrichment.PhoneRegion(phone));
    }

    internal static void Put(IDictionary<string, string> into, string key, string? value)
    {
        if (value is not null)
        {
            into[key] = value;
        }
    }
}
