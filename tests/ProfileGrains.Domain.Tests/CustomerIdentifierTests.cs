namespace ProfileGrains.Domain.Tests;

public class CustomerIdentifierTests
{
    [Theory]
    [InlineData(IdentifierType.Email, "alice@example.com", "email:alice@example.com")]
    [InlineData(IdentifierType.Phone, "+33612345678", "phone:+33612345678")]
    [InlineData(IdentifierType.LoyaltyId, "LOY-42", "loyalty:LOY-42")]
    [InlineData(IdentifierType.AnonymousId, "3f2c", "anon:3f2c")]
    [InlineData(IdentifierType.CrmId, "CRM-9", "crm:CRM-9")]
    public void Prints_as_type_prefix_and_value(IdentifierType type, string value, string expected) =>
        Assert.Equal(expected, new CustomerIdentifier(type, value).ToString());

    [Fact]
    public void SameTypeAndValue_AreEqual_DifferentTypeAreNot()
    {
        Assert.Equal(new CustomerIdentifier(IdentifierType.CrmId, "42"), new CustomerIdentifier(IdentifierType.CrmId, "42"));
        Assert.NotEqual(new CustomerIdentifier(IdentifierType.CrmId, "42"), new CustomerIdentifier(IdentifierType.LoyaltyId, "42"));
    }

    [Fact]
    public void Prefix_UnknownType_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CustomerIdentifier.Prefix((IdentifierType)99));
}
