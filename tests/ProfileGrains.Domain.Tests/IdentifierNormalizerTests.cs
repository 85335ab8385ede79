namespace ProfileGrains.Domain.Tests;

public class IdentifierNormalizerTests
{
    private static readonly IdentifierNormalizer France = new();

    private static string Accept(IdentifierType type, string raw, IdentifierNormalizer? normalizer = null)
    {
        var ok = (normalizer ?? France).TryNormalize(type, raw, out var identifier, out var error);
        Assert.True(ok, $"'{raw}' was rejected: {error}");
        Assert.Equal(type, identifier.Type);
        return identifier.Value;
    }

    private static string Reject(IdentifierType type, string? raw, IdentifierNormalizer? normalizer = null)
    {
        var ok = (normalizer ?? France).TryNormalize(type, raw, out var identifier, out var error);
        Assert.False(ok, $"'{raw}' was accepted as '{identifier.Value}'");
        Assert.Equal(default, identifier);
        Assert.False(string.IsNullOrWhiteSpace(error), "a rejection must say why");
        return error;
    }

    // ---- emails ----

    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("  Alice@Example.COM\t", "alice@example.com")]
    [InlineData("ALICE.SMITH+promo@MAIL.Example.Org", "alice.smith+promo@mail.example.org")]
    [InlineData("alice@example.com.", "alice@example.com")]
    public void Email_IsTrimmedAndCaseFolded(string raw, string expected) =>
        Assert.Equal(expected, Accept(IdentifierType.Email, raw));

    [Fact]
    public void Email_DecomposedAccent_NormalizesToTheSameValueAsTheComposedForm()
    {
        var decomposed = Accept(IdentifierType.Email, "Jose\u0301@Example.COM");
        var composed = Accept(IdentifierType.Email, "jos\u00e9@example.com");

        Assert.Equal("jos\u00e9@example.com", decomposed);
        Assert.Equal(composed, decomposed);
    }

    [Theory]
    [InlineData("user@bücher.de")]
    [InlineData("user@xn--bcher-kva.de")]
    [InlineData("USER@XN--BCHER-KVA.DE")]
    [InlineData("user@BÜCHER.de")]
    [InlineData("user@bu\u0308cher.de")]
    public void Email_InternationalisedDomain_HasOneCanonicalPunycodeForm(string raw) =>
        Assert.Equal("user@xn--bcher-kva.de", Accept(IdentifierType.Email, raw));

    [Fact]
    public void Email_UnicodeAndPunycodeSpellings_MapToTheSameGrainKey()
    {
        France.TryNormalize(IdentifierType.Email, "user@bücher.de", out var unicode, out _);
        France.TryNormalize(IdentifierType.Email, "user@xn--bcher-kva.de", out var ascii, out _);

        Assert.Equal(unicode, ascii);
        Assert.Equal(TestData.Keys.KeyOf(unicode), TestData.Keys.KeyOf(ascii));
    }

    [Theory]
    [InlineData("alice.example.com")] // no '@'
    [InlineData("alice@bob@example.com")] // two '@'
    [InlineData("@example.com")] // empty local part
    [InlineData("alice@")] // empty domain
    [InlineData("alice@.")] // domain only a dot
    [InlineData("al ice@example.com")] // space in local part
    [InlineData("alice@exa mple.com")] // space in domain
    [InlineData("alice@example.com extra")]
    [InlineData("alice\u00a0@example.com")] // no-break space
    [InlineData("alice\u0001@example.com")] // control character
    [InlineData("alice@example.com\u0000x")]
    [InlineData("alice\u200b@example.com")] // zero-width space (format character)
    [InlineData("alice@localhost")] // domain without a dot
    [InlineData("alice@exa..mple.com")] // empty label
    [InlineData("alice@-example-.com")] // not a host name (STD3)
    [InlineData("alice@exa_mple.com")] // not a host name (STD3)
    public void Email_Malformed_IsRejected(string raw) => Reject(IdentifierType.Email, raw);

    [Fact]
    public void Email_DomainWithoutDot_SaysSo() =>
        Assert.Contains("dot", Reject(IdentifierType.Email, "alice@intranet"), StringComparison.Ordinal);

    [Fact]
    public void Email_LocalPartOf64Characters_IsAcceptedAnd65IsRejected()
    {
        Assert.Equal(new string('a', 64) + "@example.com", Accept(IdentifierType.Email, new string('a', 64) + "@example.com"));
        Assert.Contains("64", Reject(IdentifierType.Email, new string('a', 65) + "@example.com"), StringComparison.Ordinal);
    }

    // ---- phones ----

    [Theory]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("06 12 34 56 78")]
    [InlineData("0033612345678")]
    [InlineData("0033 6 12 34 56 78")]
    [InlineData("+33612345678")]
    [InlineData("  06.12.34.56.78  ")]
    [InlineData("06-12-34-56-78")]
    [InlineData("+33 (0)6 12 34 56 78")]
    public void Phone_FrenchSpellings_WithDefaultRegionFR_AllBecomeE164(string raw) =>
        Assert.Equal("+33612345678", Accept(IdentifierType.Phone, raw));

    [Theory]
    [InlineData("123")]
    [InlineData("abc")]
    [InlineData("+33 1")]
    [InlineData("+33 6 12 34 56 78 90")]
    [InlineData("06 12 34")]
    [InlineData("+999 123 456 789")]
    [InlineData("00")]
    public void Phone_Invalid_IsRejectedWithAMessage(string raw) => Reject(IdentifierType.Phone, raw);

    [Fact]
    public void Phone_OtherDefaultRegion_ReadsNationalNumbersInThatRegion()
    {
        var uk = new IdentifierNormalizer(new IdentifierNormalizationOptions { DefaultPhoneRegion = "GB" });

        // libphonenumber's own example UK mobile. (07700 900xxx is Ofcom's drama range: libphonenumber calls it invalid.)
        Assert.Equal("+447400123456", Accept(IdentifierType.Phone, "07400 123456", uk));
        Assert.Equal("+447400123456", Accept(IdentifierType.Phone, "0044 7400 123456", uk));
        Assert.Equal("+447400123456", Accept(IdentifierType.Phone, "+44 7400 123456", uk));
        // International numbers do not depend on the default region.
        Assert.Equal("+33612345678", Accept(IdentifierType.Phone, "+33 6 12 34 56 78", uk));
    }

    [Fact]
    public void Phone_00InternationalPrefix_IsReadAsPlus_EvenWhereTheRegionDialsAnotherPrefix()
    {
        // The US dials 011 abroad, so libphonenumber alone would not read "0033..." as France.
        var us = new IdentifierNormalizer(new IdentifierNormalizationOptions { DefaultPhoneRegion = "US" });
        Assert.Equal("+33612345678", Accept(IdentifierType.Phone, "0033 6 12 34 56 78", us));
        Assert.Equal("+12015550123", Accept(IdentifierType.Phone, "(201) 555-0123", us));
    }

    [Fact]
    public void Phone_UkNationalNumber_IsNotAFrenchNumber_UnderDefaultRegionFR() =>
        Assert.NotEqual("+447400123456", France.TryNormalize(IdentifierType.Phone, "07400 123456", out var id, out _) ? id.Value : null);

    [Fact]
    public void Options_RegionIsCaseInsensitive()
    {
        var uk = new IdentifierNormalizer(new IdentifierNormalizationOptions { DefaultPhoneRegion = "gb" });
        Assert.Equal("+447400123456", Accept(IdentifierType.Phone, "07400 123456", uk));
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("XX")]
    [InlineData("FRA")]
    [InlineData("")]
    public void Options_UnknownRegion_Throws(string region) =>
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new IdentifierNormalizationOptions { DefaultPhoneRegion = region }));

    [Fact]
    public void Options_DefaultRegionIsFrance() =>
        Assert.Equal("FR", new IdentifierNormalizationOptions().DefaultPhoneRegion);

    // ---- opaque identifiers ----

    [Theory]
    [InlineData(IdentifierType.AnonymousId)]
    [InlineData(IdentifierType.CrmId)]
    // Loyalty ids are case-folded by default: see LoyaltyAndEmailRulesTests.
    public void Opaque_IsTrimmedButCaseIsKept(IdentifierType type) =>
        Assert.Equal("LOY-00042-Ab", Accept(type, "  LOY-00042-Ab \t"));

    [Theory]
    [InlineData(IdentifierType.AnonymousId)]
    [InlineData(IdentifierType.CrmId)]
    public void Opaque_IsNfcNormalized(IdentifierType type) =>
        Assert.Equal("jos\u00e9", Accept(type, "jose\u0301"));

    [Theory]
    [InlineData(IdentifierType.AnonymousId)]
    [InlineData(IdentifierType.CrmId)]
    public void Opaque_LengthLimit_AppliesAfterTrimming(IdentifierType type)
    {
        var atLimit = new string('x', Limits.MaxOpaqueIdentifierLength);
        Assert.Equal(atLimit, Accept(type, atLimit));
        Assert.Equal(atLimit, Accept(type, "  " + atLimit + "  "));

        var error = Reject(type, atLimit + "y");
        Assert.Contains(Limits.MaxOpaqueIdentifierLength.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IdentifierType.LoyaltyId, "LOY 42")]
    [InlineData(IdentifierType.LoyaltyId, "LOY\t42")]
    [InlineData(IdentifierType.AnonymousId, "anon\n42")]
    [InlineData(IdentifierType.AnonymousId, "anon\u000042")]
    [InlineData(IdentifierType.CrmId, "crm\u007f42")]
    [InlineData(IdentifierType.CrmId, "crm\u200b42")]
    [InlineData(IdentifierType.CrmId, "crm\u300042")] // ideographic space
    public void Opaque_WhitespaceOrControlInside_IsRejected(IdentifierType type, string raw) => Reject(type, raw);

    // ---- every type ----

    [Theory]
    [InlineData(IdentifierType.Email, null)]
    [InlineData(IdentifierType.Email, "")]
    [InlineData(IdentifierType.Email, "   ")]
    [InlineData(IdentifierType.Phone, "")]
    [InlineData(IdentifierType.Phone, " \t ")]
    [InlineData(IdentifierType.LoyaltyId, null)]
    [InlineData(IdentifierType.LoyaltyId, "\r\n")]
    [InlineData(IdentifierType.AnonymousId, "")]
    [InlineData(IdentifierType.CrmId, "    ")]
    public void EmptyOrWhitespace_IsRejected_ForEveryType(IdentifierType type, string? raw) =>
        Assert.Equal("must not be empty", Reject(type, raw));

    [Theory]
    [InlineData(IdentifierType.Email)]
    [InlineData(IdentifierType.Phone)]
    [InlineData(IdentifierType.LoyaltyId)]
    [InlineData(IdentifierType.AnonymousId)]
    [InlineData(IdentifierType.CrmId)]
    public void OverMaxRawLength_IsRejected_ForEveryType_EvenWhenOnlyPadding(IdentifierType type)
    {
        var valid = type switch
        {
            IdentifierType.Email => "alice@example.com",
            IdentifierType.Phone => "+33612345678",
            _ => "ID-1",
        };
        Accept(type, valid);

        var padded = valid.PadRight(Limits.MaxRawIdentifierLength + 1);
        var error = Reject(type, padded);
        Assert.Contains(Limits.MaxRawIdentifierLength.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);

        // Exactly at the raw limit the padding is trimmed and the value accepted.
        Assert.Equal(Accept(type, valid), Accept(type, valid.PadRight(Limits.MaxRawIdentifierLength)));
    }

    [Fact]
    public void UnspecifiedType_IsRejected() => Reject((IdentifierType)0, "alice@example.com");
}
