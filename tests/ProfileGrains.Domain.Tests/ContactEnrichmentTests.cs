namespace ProfileGrains.Domain.Tests;

public sealed class ContactEnrichmentTests
{
    [Theory]
    [InlineData("lea.martin@gmail.com", "free")]
    [InlineData("lea@orange.fr", "free")]
    [InlineData("lea.martin@boulangerie-martin.fr", "corporate")]
    [InlineData("not-an-email", null)]
    [InlineData("trailing@", null)]
    [InlineData(null, null)]
    public void An_email_is_a_free_mailbox_or_a_company_domain(string? email, string? kind) => Assert.Equal(kind, ContactEnrichment.EmailKind(email));

    [Theory]
    [InlineData("+33612345678", "FR", "mobile")]
    [InlineData("+33142685300", "FR", "fixed_line")]
    [InlineData("+32470123456", "BE", "mobile")]
    [InlineData("+262692123456", "RE", "mobile")]
    [InlineData("0612345678", null, null)]
    [InlineData("+", null, null)]
    public void A_phone_names_its_country_and_kind_of_line_offline(string e164, string? country, string? type)
    {
        Assert.Equal(country, ContactEnrichment.PhoneCountry(e164));
        Assert.Equal(type, ContactEnrichment.PhoneType(e164));
    }
}
