using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ProfileGrains.Domain.Tests;

public class CustomerIdentifierTests
{
    [Theory]
    [InlineData(IdentifierType.Email, "alice@example.com", "email:alice@example.com")]
    [InlineData(IdentifierType.Phone, "+33612345678", "phone:+33612345678")]
    [InlineData(IdentifierType.LoyaltyId, "LOY-42", "loyalty:LOY-42")]
    [InlineData(IdentifierType.AnonymousId, "3f2c", "anon:3f2c")]
    [InlineData(IdentifierType.CrmId, "CRM-9", "crm:CRM-9")]
    public void ToGrainKey_ShortValue_IsPrefixColonValue(IdentifierType type, string value, string expected)
    {
        var id = new CustomerIdentifier(type, value);
        Assert.Equal(expected, id.ToGrainKey());
        Assert.Equal(expected, id.ToString());
    }

    [Fact]
    public void ToGrainKey_ValueOf200Characters_IsStillPlain()
    {
        var value = new string('a', 200);
        Assert.Equal("crm:" + value, new CustomerIdentifier(IdentifierType.CrmId, value).ToGrainKey());
    }

    [Fact]
    public void ToGrainKey_ValueOver200Characters_IsPrefixHashAndSha256Hex()
    {
        var value = new string('a', 150) + "@" + new string('b', 60) + ".example.com";
        var key = new CustomerIdentifier(IdentifierType.Email, value).ToGrainKey();

        Assert.Matches(new Regex("^email#[0-9a-f]{64}$"), key);
        Assert.Equal("email#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))), key);
        Assert.True(key.Length < 512, "keys must fit the storage column");
    }

    [Fact]
    public void ToGrainKey_HashedKeys_AreStableAndDistinct()
    {
        var value = new string('x', 201);
        var other = new string('x', 200) + "y";

        var key = new CustomerIdentifier(IdentifierType.Email, value).ToGrainKey();
        Assert.Equal(key, new CustomerIdentifier(IdentifierType.Email, new string('x', 201)).ToGrainKey());
        Assert.NotEqual(key, new CustomerIdentifier(IdentifierType.Email, other).ToGrainKey());
        Assert.NotEqual(key, new CustomerIdentifier(IdentifierType.CrmId, value).ToGrainKey());
        Assert.StartsWith("crm#", new CustomerIdentifier(IdentifierType.CrmId, value).ToGrainKey(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToGrainKey_NonAsciiLongValues_HashTheirUtf8Bytes()
    {
        var a = new string('é', 201);
        var b = new string('e', 201);
        Assert.NotEqual(new CustomerIdentifier(IdentifierType.CrmId, a).ToGrainKey(), new CustomerIdentifier(IdentifierType.CrmId, b).ToGrainKey());
    }

    [Fact]
    public void ToGrainKey_NormalizedLongEmail_IsHashed()
    {
        var raw = new string('A', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 3)) + ".COM";
        Assert.True(new IdentifierNormalizer().TryNormalize(IdentifierType.Email, raw, out var id, out var error), error);
        Assert.True(id.Value.Length > 200);
        Assert.StartsWith("email#", id.ToGrainKey(), StringComparison.Ordinal);
        Assert.Equal(id.ToGrainKey(), new CustomerIdentifier(IdentifierType.Email, raw.ToLowerInvariant()).ToGrainKey());
    }

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
