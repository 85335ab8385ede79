using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProfileGrains.Domain.Tests;

/// <summary>
/// The identifier normalization rules, each on and off, with the spellings met in real data and hostile input.
/// (The basics are pinned by IdentifierNormalizerTests and LoyaltyAndEmailRulesTests.)
/// </summary>
public sealed class NormalizationRulesTests
{
    private static readonly IdentifierNormalizer Defaults = new();

    /// <summary>Every optional rule on, as a retailer with many Gmail and Outlook customers would configure it.</summary>
    private static readonly IdentifierNormalizer Configured = new(new IdentifierNormalizationOptions
    {
        PlusAddressingDomains = ["gmail.com", "googlemail.com", "outlook.com"],
        DotInsensitiveDomains = ["gmail.com"],
        DomainAliases = new() { ["googlemail.com"] = "gmail.com" },
        AllowedPhoneTypes = [PhoneNumberKind.Mobile, PhoneNumberKind.FixedLine],
        LoyaltyIdPattern = "^LOY[0-9]{11}$",
        LoyaltyCheckDigit = CheckDigitAlgorithm.Luhn,
    });

    private static string Accept(IdentifierNormalizer normalizer, IdentifierType type, string raw)
    {
        var ok = normalizer.TryNormalize(type, raw, out var identifier, out var error);
        Assert.True(ok, $"'{raw}' was rejected: {error}");
        Assert.Equal(type, identifier.Type);
        Assert.Equal(string.Empty, error);
        return identifier.Value;
    }

    private static string Reject(IdentifierNormalizer normalizer, IdentifierType type, string? raw)
    {
        var ok = normalizer.TryNormalize(type, raw, out var identifier, out var error);
        Assert.False(ok, $"'{raw}' was accepted as '{identifier.Value}'");
        Assert.Equal(default, identifier);
        Assert.False(string.IsNullOrWhiteSpace(error), "a rejection must say why");
        return error;
    }

    private static string Email(string raw) => Accept(Defaults, IdentifierType.Email, raw);

    private static string EmailError(string raw) => Reject(Defaults, IdentifierType.Email, raw);

    /// <summary>An all-ASCII domain of exactly <paramref name="length"/> characters: labels of up to 63 'a's, then ".com".</summary>
    private static string DomainOfLength(int length)
    {
        var domain = new StringBuilder();
        var remaining = length - "com".Length; // each label before "com" takes its length plus one for its dot
        while (remaining > 0)
        {
            var part = Math.Min(64, remaining);
            if (remaining - part == 1)
            {
                part--;
            }

            domain.Append('a', part - 1).Append('.');
            remaining -= part;
        }

        var result = domain.Append("com").ToString();
        Assert.Equal(length, result.Length);
        return result;
    }

    // ================================================================ emails: local part (RFC 5322 dot-atom)

    [Theory]
    [InlineData("jean.dupont@orange.fr", "jean.dupont@orange.fr")]
    [InlineData("Jean-Pierre.Dupont@Wanadoo.FR", "jean-pierre.dupont@wanadoo.fr")]
    [InlineData("o'neil@example.ie", "o'neil@example.ie")]
    [InlineData("j_dupont99@laposte.net", "j_dupont99@laposte.net")]
    [InlineData("a!#$%&'*+/=?^_`{|}~-z@example.com", "a!#$%&'*+/=?^_`{|}~-z@example.com")]
    [InlineData("x@example.com", "x@example.com")]
    [InlineData("1234567@example.com", "1234567@example.com")]
    [InlineData("=?utf-8?q?jean?=@example.com", "=?utf-8?q?jean?=@example.com")]
    public void Email_DotAtomLocalParts_AreAccepted(string raw, string expected) => Assert.Equal(expected, Email(raw));

    [Theory]
    [InlineData("δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp")] // Greek (RFC 6530 examples)
    [InlineData("अजय@डाटा.भारत", "अजय@xn--c2bd1gb.xn--h2brj9c")] // Devanagari, with combining vowel signs
    [InlineData("用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v")]
    [InlineData("Pelé@Exemple.fr", "pelé@exemple.fr")]
    [InlineData("ÉLODIE@exemple.fr", "élodie@exemple.fr")]
    [InlineData("\U00020000@example.com", "\U00020000@example.com")] // a CJK letter outside the BMP (a surrogate pair)
    public void Email_InternationalisedLocalParts_AreAcceptedAndCaseFolded(string raw, string expected) =>
        Assert.Equal(expected, Email(raw));

    [Fact]
    public void Email_LocalPartCaseFolding_GivesOneValueForEverySpelling()
    {
        Assert.Equal(Email("ÉLODIE.MARTIN@EXEMPLE.FR"), Email("élodie.martin@exemple.fr"));
        Assert.Equal(Email("E\u0301lodie@exemple.fr"), Email("\u00c9LODIE@exemple.fr"));
    }

    [Theory]
    [InlineData(".jean@orange.fr", "start or end with a dot")]
    [InlineData("jean.@orange.fr", "start or end with a dot")]
    [InlineData("jean..dupont@orange.fr", "two dots in a row")]
    [InlineData("jean(work)@orange.fr", "'('")]
    [InlineData("jean,dupont@orange.fr", "','")]
    [InlineData("<jean>@orange.fr", "'<'")]
    [InlineData("jean;dupont@orange.fr", "';'")]
    [InlineData("jean\\dupont@orange.fr", "'\\'")]
    [InlineData("jean[1]@orange.fr", "'['")]
    [InlineData("jean:dupont@orange.fr", "':'")]
    [InlineData("jean\U0001F600@orange.fr", "U+1F600")] // emoji are not letters
    [InlineData("jean\u2764@orange.fr", "U+2764")]
    [InlineData("€uro@orange.fr", "U+20AC")]
    public void Email_LocalPartOutsideTheDotAtom_IsRejectedNamingTheRule(string raw, string expected)
    {
        var error = EmailError(raw);
        Assert.Contains("local part", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"jean\"@orange.fr")]
    [InlineData("\"jean dupont\"@orange.fr")] // the quote is the reason, not the space
    [InlineData("\"jean@home\"@orange.fr")] // nor the second '@'
    [InlineData("\"\"@orange.fr")]
    [InlineData("jean.\"dupont\"@orange.fr")]
    public void Email_QuotedLocalParts_AreRejectedWithAClearMessage(string raw) =>
        Assert.Contains("quoted local parts", EmailError(raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("jean.dupont.orange.fr", "'@'")]
    [InlineData("jean@dupont@orange.fr", "only one '@'")]
    [InlineData("@orange.fr", "local part")]
    [InlineData("jean@", "'@'")]
    public void Email_WithoutExactlyOneAt_SaysSo(string raw, string expected) =>
        Assert.Contains(expected, EmailError(raw), StringComparison.Ordinal);

    // ================================================================ emails: domain

    [Fact]
    public void Email_DomainLabelOf63Characters_IsAcceptedAnd64IsRejected()
    {
        var label63 = new string('d', 63);
        Assert.Equal($"jean@{label63}.com", Email($"jean@{label63}.com"));

        var error = EmailError($"jean@{label63}d.com");
        Assert.Contains("63", error, StringComparison.Ordinal);
        Assert.Contains("label", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_DomainOver253Characters_IsRejected()
    {
        var error = EmailError("j@" + DomainOfLength(254));
        Assert.Contains("253", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_Over254Characters_IsRejected_AndExactly254IsAccepted()
    {
        // A 253-character domain is a valid domain, but no address on it fits in 254 characters.
        Assert.Contains("254", EmailError("j@" + DomainOfLength(253)), StringComparison.Ordinal);

        var longest = "j@" + DomainOfLength(252);
        Assert.Equal(254, longest.Length);
        Assert.Equal(longest, Email(longest));

        var longLocal = new string('l', 64) + "@" + DomainOfLength(189);
        Assert.Equal(254, longLocal.Length);
        Assert.Equal(longLocal, Email(longLocal));
        Assert.Contains("254", EmailError(new string('l', 64) + "@" + DomainOfLength(190)), StringComparison.Ordinal);
    }

    [Fact]
    public void Email_LengthIsCountedWithTheDomainInItsAsciiForm()
    {
        // "ü" becomes "xn--...-kva": the ASCII form is the one that has to fit.
        var address = new string('l', 10) + "@ü." + DomainOfLength(240); // "ü." is "xn--tda." in ASCII
        Assert.Equal(253, address.Length);
        Assert.Contains("254", EmailError(address), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jean@example.123")]
    [InlineData("jean@192.168.0.1")]
    [InlineData("jean@10.0.0.1.")]
    public void Email_NumericTopLevelDomain_IsRejected(string raw) =>
        Assert.Contains("top-level domain must not be all digits", EmailError(raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("jean@example.c0m", "jean@example.c0m")]
    [InlineData("jean@123.fr", "jean@123.fr")] // numeric labels are fine below the top level
    [InlineData("jean@3com.com", "jean@3com.com")]
    [InlineData("jean@xn--bcher-kva.xn--p1ai", "jean@xn--bcher-kva.xn--p1ai")]
    [InlineData("jean@sub.domain.example.co.uk", "jean@sub.domain.example.co.uk")]
    [InlineData("jean@EXAMPLE.MUSEUM.", "jean@example.museum")]
    [InlineData("jean@example\u3002com", "jean@example.com")] // ideographic full stop, mapped by IDNA
    [InlineData("jean@ＥＸＡＭＰＬＥ.com", "jean@example.com")] // full-width letters, mapped by IDNA
    public void Email_RealDomains_AreAcceptedInCanonicalForm(string raw, string expected) => Assert.Equal(expected, Email(raw));

    [Theory]
    [InlineData("jean@[192.168.0.1]", "address literals")]
    [InlineData("jean@[IPv6:2001:db8::1]", "address literals")]
    [InlineData("jean@.example.com", "empty label")]
    [InlineData("jean@example..com", "empty label")]
    [InlineData("jean@example.com..", "empty label")]
    [InlineData("jean@.", "must not be empty")]
    [InlineData("jean@localhost", "dot")]
    [InlineData("jean@xn--zz.com", "not a valid host name")] // invalid punycode
    [InlineData("jean@-orange.fr", "not a valid host name")]
    [InlineData("jean@orange-.fr", "not a valid host name")]
    [InlineData("jean@ora_nge.fr", "not a valid host name")]
    [InlineData("jean@ora!nge.fr", "not a valid host name")]
    public void Email_MalformedDomain_IsRejectedNamingTheRule(string raw, string expected) =>
        Assert.Contains(expected, EmailError(raw), StringComparison.Ordinal);

    // ================================================================ emails: plus addressing (off by default)

    [Theory]
    [InlineData("jean+promo@gmail.com")]
    [InlineData("jean+promo@outlook.com")]
    [InlineData("jean+promo@orange.fr")]
    public void PlusAddressing_IsOffByDefault(string raw) => Assert.Equal(raw, Email(raw));

    [Theory]
    [InlineData("jean+promo@gmail.com", "jean@gmail.com")]
    [InlineData("Jean+Newsletter-2024@GMAIL.COM", "jean@gmail.com")]
    [InlineData("jean+a+b@gmail.com", "jean@gmail.com")] // the tag starts at the first '+'
    [InlineData("jean+@gmail.com", "jean@gmail.com")]
    [InlineData("jean+promo@outlook.com", "jean@outlook.com")]
    [InlineData("jean+promo@orange.fr", "jean+promo@orange.fr")] // not a configured domain
    [InlineData("jean+promo@mail.gmail.com", "jean+promo@mail.gmail.com")] // nor is a subdomain
    [InlineData("+promo@gmail.com", "+promo@gmail.com")] // nothing would be left
    public void PlusAddressing_FoldsTheTagOnlyForConfiguredDomains(string raw, string expected)
    {
        var normalizer = new IdentifierNormalizer(new() { PlusAddressingDomains = ["gmail.com", "outlook.com"] });
        Assert.Equal(expected, Accept(normalizer, IdentifierType.Email, raw));
    }

    [Fact]
    public void PlusAddressing_LeavesAnAddressAlone_WhenTheMailboxWouldEndInADot()
    {
        var normalizer = new IdentifierNormalizer(new() { PlusAddressingDomains = ["outlook.com"] });
        Assert.Equal("jean.+promo@outlook.com", Accept(normalizer, IdentifierType.Email, "jean.+promo@outlook.com"));
    }

    [Fact]
    public void PlusAddressing_ConfiguredDomains_AreMatchedCaseInsensitivelyAndInCanonicalForm()
    {
        var normalizer = new IdentifierNormalizer(new() { PlusAddressingDomains = [" Gmail.COM ", "outlook.com.", "bücher.de", "", "  "] });

        Assert.Equal("jean@gmail.com", Accept(normalizer, IdentifierType.Email, "jean+x@gmail.com"));
        Assert.Equal("jean@outlook.com", Accept(normalizer, IdentifierType.Email, "jean+x@Outlook.com"));
        Assert.Equal("jean@xn--bcher-kva.de", Accept(normalizer, IdentifierType.Email, "jean+x@xn--bcher-kva.de"));
        Assert.Equal("jean@xn--bcher-kva.de", Accept(normalizer, IdentifierType.Email, "jean+x@BÜCHER.de"));
    }

    // ================================================================ emails: dot-insensitive domains (off by default)

    [Fact]
    public void DotInsensitivity_IsOffByDefault() =>
        Assert.Equal("jean.dupont@gmail.com", Email("Jean.Dupont@gmail.com"));

    [Theory]
    [InlineData("jean.dupont@gmail.com", "jeandupont@gmail.com")]
    [InlineData("Jean.Dupont@Gmail.com", "jeandupont@gmail.com")]
    [InlineData("j.e.a.n.d.u.p.o.n.t@gmail.com", "jeandupont@gmail.com")]
    [InlineData("jeandupont@gmail.com", "jeandupont@gmail.com")]
    [InlineData("jean.dupont+promo@gmail.com", "jeandupont+promo@gmail.com")] // plus addressing is a separate rule
    [InlineData("jean.dupont@orange.fr", "jean.dupont@orange.fr")] // dots matter at most providers
    public void DotInsensitivity_RemovesDotsOnlyForConfiguredDomains(string raw, string expected)
    {
        var normalizer = new IdentifierNormalizer(new() { DotInsensitiveDomains = ["GMAIL.com"] });
        Assert.Equal(expected, Accept(normalizer, IdentifierType.Email, raw));
    }

    [Theory]
    [InlineData("jean.dupont+promo@gmail.com")]
    [InlineData("JEAN.DUPONT@gmail.com")]
    [InlineData("jeandupont+a.b@gmail.com")]
    [InlineData("jean.dupont.+promo@gmail.com")] // with the dots gone, the tag can be dropped
    [InlineData("jean.dupont@googlemail.com")]
    [InlineData("j.ean.dupont+x+y@GoogleMail.COM.")]
    public void DotsPlusAndAliases_Together_GiveOneGmailMailbox(string raw) =>
        Assert.Equal("jeandupont@gmail.com", Accept(Configured, IdentifierType.Email, raw));

    // ================================================================ emails: domain aliases (off by default)

    [Fact]
    public void DomainAliases_AreOffByDefault() =>
        Assert.Equal("jean@googlemail.com", Email("jean@googlemail.com"));

    [Fact]
    public void DomainAliases_MapToTheCanonicalDomain_AndGiveOneGrainKey()
    {
        var normalizer = new IdentifierNormalizer(new() { DomainAliases = new() { ["GoogleMail.COM"] = "Gmail.com" } });

        Assert.Equal("jean@gmail.com", Accept(normalizer, IdentifierType.Email, "jean@googlemail.com"));
        Assert.Equal("jean@gmail.com", Accept(normalizer, IdentifierType.Email, "Jean@GOOGLEMAIL.com."));
        Assert.Equal("jean@gmail.com", Accept(normalizer, IdentifierType.Email, "jean@gmail.com"));
        Assert.Equal("jean.dupont+x@gmail.com", Accept(normalizer, IdentifierType.Email, "jean.dupont+x@googlemail.com")); // no other rule
        Assert.Equal("jean@orange.fr", Accept(normalizer, IdentifierType.Email, "jean@orange.fr"));

        normalizer.TryNormalize(IdentifierType.Email, "jean@googlemail.com", out var alias, out _);
        normalizer.TryNormalize(IdentifierType.Email, "jean@gmail.com", out var canonical, out _);
        Assert.Equal(TestData.Keys.KeyOf(canonical), TestData.Keys.KeyOf(alias));
    }

    [Fact]
    public void DomainAliases_RulesOfEitherDomainApplyToBoth()
    {
        // The plus rule is configured for the alias only, the dot rule for the target only.
        var normalizer = new IdentifierNormalizer(new()
        {
            DomainAliases = new() { ["googlemail.com"] = "gmail.com" },
            PlusAddressingDomains = ["googlemail.com"],
            DotInsensitiveDomains = ["gmail.com"],
        });

        Assert.Equal("jeandupont@gmail.com", Accept(normalizer, IdentifierType.Email, "jean.dupont+x@googlemail.com"));
        Assert.Equal("jeandupont@gmail.com", Accept(normalizer, IdentifierType.Email, "jean.dupont+x@gmail.com"));
    }

    [Fact]
    public void DomainAliases_InternationalisedDomains_AreCanonicalised() =>
        Assert.Equal("jean@example.com", Accept(
            new IdentifierNormalizer(new() { DomainAliases = new() { ["bücher.de"] = "example.com" } }),
            IdentifierType.Email,
            "jean@xn--bcher-kva.de"));

    [Fact]
    public void DomainAliases_ToItself_IsHarmless() =>
        Assert.Equal("jean@gmail.com", Accept(
            new IdentifierNormalizer(new() { DomainAliases = new() { ["Gmail.com"] = "gmail.com" } }), IdentifierType.Email, "jean@gmail.com"));

    [Fact]
    public void DomainAliases_Chained_AreRefusedAtStartUp()
    {
        var e = Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new()
        {
            DomainAliases = new() { ["googlemail.com"] = "gmail.com", ["gmail.com"] = "google.com" },
        }));
        Assert.Contains("itself an alias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainAliases_OneDomainToTwoTargets_IsRefusedAtStartUp()
    {
        // A case-sensitive dictionary built in code can hold both spellings.
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal) { ["googlemail.com"] = "gmail.com", ["GoogleMail.com"] = "outlook.com" };
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new() { DomainAliases = aliases }));
    }

    // ================================================================ emails: option validation

    [Theory]
    [InlineData("localhost")]
    [InlineData("not a domain")]
    [InlineData("@gmail.com")]
    [InlineData("gmail..com")]
    [InlineData("192.168.0.1")]
    public void DomainOptions_InvalidDomains_AreRefusedAtStartUp_NamingTheOption(string domain)
    {
        Assert.Contains("PlusAddressingDomains", Assert.Throws<ArgumentException>(
            () => new IdentifierNormalizer(new() { PlusAddressingDomains = [domain] })).Message, StringComparison.Ordinal);
        Assert.Contains("DotInsensitiveDomains", Assert.Throws<ArgumentException>(
            () => new IdentifierNormalizer(new() { DotInsensitiveDomains = [domain] })).Message, StringComparison.Ordinal);
        Assert.Contains("DomainAliases", Assert.Throws<ArgumentException>(
            () => new IdentifierNormalizer(new() { DomainAliases = new() { [domain] = "gmail.com" } })).Message, StringComparison.Ordinal);
        Assert.Contains("DomainAliases", Assert.Throws<ArgumentException>(
            () => new IdentifierNormalizer(new() { DomainAliases = new() { ["googlemail.com"] = domain } })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NullCollections_AreTreatedAsEmpty()
    {
        var normalizer = new IdentifierNormalizer(new()
        {
            PlusAddressingDomains = null!,
            DotInsensitiveDomains = null!,
            DomainAliases = null!,
            AllowedPhoneTypes = null!,
        });

        Assert.Equal("jean.d+x@gmail.com", Accept(normalizer, IdentifierType.Email, "jean.d+x@gmail.com"));
        Assert.Equal("+33899123456", Accept(normalizer, IdentifierType.Phone, "08 99 12 34 56"));
    }

    [Fact]
    public void Options_Defaults_AreAllOff()
    {
        var options = new IdentifierNormalizationOptions();

        Assert.Equal("FR", options.DefaultPhoneRegion);
        Assert.Empty(options.AllowedPhoneTypes);
        Assert.Empty(options.PlusAddressingDomains);
        Assert.Empty(options.DotInsensitiveDomains);
        Assert.Empty(options.DomainAliases);
        Assert.True(options.LoyaltyIdUpperCase);
        Assert.Null(options.LoyaltyIdPattern);
        Assert.Equal(CheckDigitAlgorithm.None, options.LoyaltyCheckDigit);
        Assert.False(options.LoyaltyIdLuhnCheck);
    }

    [Fact]
    public void Options_DomainAliasesDictionary_IsCaseInsensitiveAsBound()
    {
        var options = new IdentifierNormalizationOptions();
        options.DomainAliases["GoogleMail.com"] = "gmail.com";
        Assert.True(options.DomainAliases.ContainsKey("googlemail.com"));
    }

    // ================================================================ phones

    [Theory]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("06 12 34 56 78")]
    [InlineData("0612345678")]
    [InlineData("0033612345678")]
    [InlineData("0033 6 12 34 56 78")]
    [InlineData("00 33 6 12 34 56 78")]
    [InlineData("06.12.34.56.78")]
    [InlineData("06-12-34-56-78")]
    [InlineData("06/12/34/56/78")]
    [InlineData("(0)6 12 34 56 78")]
    [InlineData("+33 (0)6 12 34 56 78")]
    [InlineData("+33 (0) 6 12 34 56 78")]
    [InlineData("+ 33 6 12 34 56 78")]
    [InlineData("+33.6.12.34.56.78")]
    [InlineData("06\u00a012\u00a034\u00a056\u00a078")] // no-break spaces, as word processors write them
    [InlineData("06\u202f12\u202f34\u202f56\u202f78")] // narrow no-break spaces (French typography)
    [InlineData("06\u201312\u201334\u201356\u201378")] // en dashes
    [InlineData("06\u201112\u201134\u201156\u201178")] // non-breaking hyphens
    [InlineData("\uff0b33 6 12 34 56 78")] // full-width plus
    [InlineData("\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18")] // full-width digits
    [InlineData("\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668")] // Arabic-Indic digits
    public void Phone_FrenchMobileSpellings_AllBecomeOneE164Value(string raw) =>
        Assert.Equal("+33612345678", Accept(Defaults, IdentifierType.Phone, raw));

    [Theory]
    [InlineData("01 23 45 67 89", "+33123456789")] // fixed line
    [InlineData("09 71 23 45 67", "+33971234567")] // VoIP
    [InlineData("0 800 123 456", "+33800123456")] // toll free
    [InlineData("08 99 12 34 56", "+33899123456")] // premium rate: valid, so accepted by default
    [InlineData("+32 470 12 34 56", "+32470123456")] // Belgian mobile
    [InlineData("+49 30 123456", "+4930123456")] // Berlin
    [InlineData("+44 7400 123456", "+447400123456")]
    [InlineData("+1 (201) 555-0123", "+12015550123")]
    public void Phone_ValidNumbersOfEveryType_AreAcceptedByDefault(string raw, string expected) =>
        Assert.Equal(expected, Accept(Defaults, IdentifierType.Phone, raw));

    [Theory]
    [InlineData("+33 1 23 45 67 89 ext. 12")]
    [InlineData("+33 1 23 45 67 89 x12")]
    [InlineData("+33612345678;ext=5")]
    [InlineData("1-800-FLOWERS")]
    [InlineData("06 12 34 56 78 (mobile)")]
    [InlineData("tel:+33612345678")]
    public void Phone_Letters_AreRejected_SoNoExtensionIsSilentlyDropped(string raw) =>
        Assert.Contains("letters", Reject(Defaults, IdentifierType.Phone, raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("06 12 34 56 78 \U0001F4DE")]
    [InlineData("06 12 34 56 78 #")]
    [InlineData("06 12 34 56 78, 12")]
    [InlineData("+33\u200f612345678")] // right-to-left mark
    [InlineData("+33\u200b612345678")] // zero-width space
    [InlineData("06\t12\t34\t56\t78")]
    [InlineData("06_12_34_56_78")]
    [InlineData("*33 6 12 34 56 78")]
    public void Phone_OtherCharacters_AreRejectedNamingThem(string raw) =>
        Assert.Contains("only digits, spaces", Reject(Defaults, IdentifierType.Phone, raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("06 12 34 56 78 / 06 98 76 54 32")] // two numbers
    [InlineData("0612345678/12")]
    [InlineData("+33 6 12 34 56 7")]
    [InlineData("+")]
    [InlineData("()")]
    [InlineData("---")]
    public void Phone_NotOneValidNumber_IsRejected(string raw) => Reject(Defaults, IdentifierType.Phone, raw);

    [Fact]
    public void Phone_VeryLongDigitString_IsRejectedAsTooLong() =>
        Assert.Contains("too long", Reject(Defaults, IdentifierType.Phone, "+33" + new string('6', 300)), StringComparison.Ordinal);

    [Fact]
    public void AllowedPhoneTypes_MobileOnly_RejectsOtherTypesNamingThem()
    {
        var mobileOnly = new IdentifierNormalizer(new() { AllowedPhoneTypes = [PhoneNumberKind.Mobile] });

        Assert.Equal("+33612345678", Accept(mobileOnly, IdentifierType.Phone, "06 12 34 56 78"));
        Assert.Equal("+33781234567", Accept(mobileOnly, IdentifierType.Phone, "07 81 23 45 67"));

        var fixedLine = Reject(mobileOnly, IdentifierType.Phone, "01 23 45 67 89");
        Assert.Contains("FixedLine", fixedLine, StringComparison.Ordinal);
        Assert.Contains("only Mobile", fixedLine, StringComparison.Ordinal);
        Assert.Contains("PremiumRate", Reject(mobileOnly, IdentifierType.Phone, "08 99 12 34 56"), StringComparison.Ordinal);
        Assert.Contains("TollFree", Reject(mobileOnly, IdentifierType.Phone, "0 800 123 456"), StringComparison.Ordinal);
        Assert.Contains("Voip", Reject(mobileOnly, IdentifierType.Phone, "09 71 23 45 67"), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedPhoneTypes_NorthAmericanNumbers_PassWhenFixedLineOrMobileIsAllowed()
    {
        // Nothing in a NANP number says whether it is a mobile: libphonenumber calls it "fixed line or mobile".
        var mobileOnly = new IdentifierNormalizer(new() { AllowedPhoneTypes = [PhoneNumberKind.Mobile] });
        var fixedOnly = new IdentifierNormalizer(new() { AllowedPhoneTypes = [PhoneNumberKind.FixedLine] });
        var tollFreeOnly = new IdentifierNormalizer(new() { AllowedPhoneTypes = [PhoneNumberKind.TollFree] });

        Assert.Equal("+12015550123", Accept(mobileOnly, IdentifierType.Phone, "+1 201 555 0123"));
        Assert.Equal("+12015550123", Accept(fixedOnly, IdentifierType.Phone, "+1 201 555 0123"));
        Assert.Contains("FixedLine or Mobile", Reject(tollFreeOnly, IdentifierType.Phone, "+1 201 555 0123"), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedPhoneTypes_Several_AcceptEachOfThem()
    {
        Assert.Equal("+33123456789", Accept(Configured, IdentifierType.Phone, "01 23 45 67 89"));
        Assert.Equal("+33612345678", Accept(Configured, IdentifierType.Phone, "06 12 34 56 78"));
        Assert.Contains("only FixedLine, Mobile", Reject(Configured, IdentifierType.Phone, "08 99 12 34 56"), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedPhoneTypes_UnknownValue_IsRefusedAtStartUp() =>
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new() { AllowedPhoneTypes = [(PhoneNumberKind)99] }));

    [Fact]
    public void Options_PhoneRegionWithSpaces_IsTrimmed() =>
        Assert.Equal("+32470123456", Accept(new IdentifierNormalizer(new() { DefaultPhoneRegion = " be " }), IdentifierType.Phone, "0470 12 34 56"));

    // ================================================================ loyalty ids: pattern

    [Theory]
    [InlineData("^LOY[0-9]{10}$")]
    [InlineData("LOY[0-9]{10}")] // unanchored: still matched against the whole value
    public void LoyaltyPattern_MatchesTheWholeValue(string pattern)
    {
        var normalizer = new IdentifierNormalizer(new() { LoyaltyIdPattern = pattern });

        Assert.Equal("LOY0000012345", Accept(normalizer, IdentifierType.LoyaltyId, " loy0000012345 "));
        var error = Reject(normalizer, IdentifierType.LoyaltyId, "XLOY0000012345");
        Assert.Equal($"does not match the loyalty id pattern {pattern}", error);
        Reject(normalizer, IdentifierType.LoyaltyId, "LOY00000123456");
        Reject(normalizer, IdentifierType.LoyaltyId, "LOY0000012345-OLD");
    }

    [Fact]
    public void LoyaltyPattern_WholeValueMatch_IsNotFooledByAnEarlierShorterAlternative()
    {
        var normalizer = new IdentifierNormalizer(new() { LoyaltyIdPattern = "A|AB" });

        Assert.Equal("AB", Accept(normalizer, IdentifierType.LoyaltyId, "ab"));
        Assert.Equal("A", Accept(normalizer, IdentifierType.LoyaltyId, "a"));
        Reject(normalizer, IdentifierType.LoyaltyId, "ABC");
    }

    [Fact]
    public void LoyaltyPattern_IsAppliedAfterCaseFolding_OrToTheValueAsTyped()
    {
        var folded = new IdentifierNormalizer(new() { LoyaltyIdPattern = "^loy[0-9]+$" });
        Reject(folded, IdentifierType.LoyaltyId, "loy42"); // folded to "LOY42" first

        var kept = new IdentifierNormalizer(new() { LoyaltyIdPattern = "^loy[0-9]+$", LoyaltyIdUpperCase = false });
        Assert.Equal("loy42", Accept(kept, IdentifierType.LoyaltyId, "loy42"));
        Reject(kept, IdentifierType.LoyaltyId, "LOY42");
    }

    [Fact]
    public void LoyaltyPattern_IsCultureInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");
            var normalizer = new IdentifierNormalizer(new() { LoyaltyIdPattern = "(?i)^card[0-9]+$" });
            Assert.Equal("CARD42", Accept(normalizer, IdentifierType.LoyaltyId, "card42"));
            Assert.Equal("CARD42", Accept(normalizer, IdentifierType.LoyaltyId, "CARD42"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("([")]
    [InlineData("a)(b")] // would become valid once wrapped: the pattern is checked as written
    [InlineData("[z-a]")]
    [InlineData("(?x)LOY[0-9]+ # card number")] // a trailing comment would swallow the anchor
    public void LoyaltyPattern_Invalid_IsRefusedAtStartUp(string pattern)
    {
        var e = Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new() { LoyaltyIdPattern = pattern }));
        Assert.Contains("LoyaltyIdPattern", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void LoyaltyPattern_Blank_MeansNoPattern(string? pattern) =>
        Assert.Equal("ANYTHING-GOES_42", Accept(new IdentifierNormalizer(new() { LoyaltyIdPattern = pattern }), IdentifierType.LoyaltyId, "anything-goes_42"));

    [Theory]
    [InlineData("^(A+)+$")]
    [InlineData("^(A|AA)+$")]
    [InlineData(@"^(\w+\s?)*$")]
    public void LoyaltyPattern_CatastrophicBacktracking_TimesOutWithAMessage_InsteadOfStalling(string pattern)
    {
        var normalizer = new IdentifierNormalizer(new() { LoyaltyIdPattern = pattern });
        var watch = Stopwatch.StartNew();

        var error = Reject(normalizer, IdentifierType.LoyaltyId, new string('a', 100) + "!");

        Assert.Contains("in time", error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    // ================================================================ loyalty ids: check digits

    [Theory]
    [InlineData("79927398713")]
    [InlineData("4111111111111111")] // the classic test card number
    [InlineData("LOY79927398713")] // letters are ignored
    [InlineData("LOY-7992-7398-713")] // so are separators
    [InlineData("00")]
    [InlineData("18")]
    public void LuhnCheckDigit_ValidValues_AreAccepted(string raw) =>
        Accept(new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Luhn }), IdentifierType.LoyaltyId, raw);

    [Theory]
    [InlineData("79927398710")] // wrong digit
    [InlineData("79927398731")] // last two digits swapped
    [InlineData("4111111111111112")]
    [InlineData("4111111111111121")]
    public void LuhnCheckDigit_TypingMistakes_AreRejected(string raw) =>
        Assert.Equal("check digit is wrong (Luhn)", Reject(new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Luhn }), IdentifierType.LoyaltyId, raw));

    [Theory]
    [InlineData("7")]
    [InlineData("LOY")]
    [InlineData("LOY-A")]
    public void LuhnCheckDigit_TooFewDigits_SaysTheCheckDigitIsMissing(string raw) =>
        Assert.Contains("check digit is missing", Reject(new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Luhn }), IdentifierType.LoyaltyId, raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("79444")] // the ISO 7064 example: 794 with check digits 44
    [InlineData("3214282912345698765432161182")] // IBAN GB82 WEST 1234 5698 7654 32, rearranged to digits
    [InlineData("LOY-794-44")]
    [InlineData("001")]
    public void Mod97CheckDigits_ValidValues_AreAccepted(string raw) =>
        Accept(new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Mod97 }), IdentifierType.LoyaltyId, raw);

    [Theory]
    [InlineData("79443")] // wrong digit
    [InlineData("74944")] // transposition
    [InlineData("79927398713")] // a Luhn number is not a mod 97 number
    [InlineData("3214282912345698765432161181")]
    public void Mod97CheckDigits_TypingMistakes_AreRejected(string raw) =>
        Assert.Equal("check digit is wrong (ISO 7064 mod 97-10)", Reject(new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Mod97 }), IdentifierType.LoyaltyId, raw));

    [Theory]
    [InlineData("1")]
    [InlineData("12")]
    [InlineData("ABC")]
    public void Mod97CheckDigits_TooFewDigits_SayTheCheckDigitsAreMissing(string raw) =>
        Assert.Contains("check digits are missing", Reject(new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Mod97 }), IdentifierType.LoyaltyId, raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("794")]
    [InlineData("000001234")]
    [InlineData("9")]
    [InlineData("123456789012345678901234567890")]
    public void Mod97CheckDigits_Computed_AreAccepted_AndEverySingleDigitChangeIsCaught(string payload)
    {
        var normalizer = new IdentifierNormalizer(new() { LoyaltyCheckDigit = CheckDigitAlgorithm.Mod97 });
        var valid = payload + CheckDigits.Mod97CheckDigits(payload);
        Accept(normalizer, IdentifierType.LoyaltyId, valid);

        for (var i = 0; i < valid.Length; i++)
        {
            for (var d = '0'; d <= '9'; d++)
            {
                if (d != valid[i])
                {
                    Reject(normalizer, IdentifierType.LoyaltyId, valid[..i] + d + valid[(i + 1)..]);
                }
            }
        }
    }

    [Fact]
    public void CheckDigit_IsOffByDefault() =>
        Assert.Equal("79927398710", Accept(Defaults, IdentifierType.LoyaltyId, "79927398710"));

    [Fact]
    public void CheckDigit_PatternAndCheckDigit_BothApply()
    {
        Assert.Equal("LOY79927398713", Accept(Configured, IdentifierType.LoyaltyId, "loy79927398713"));
        Assert.Contains("pattern", Reject(Configured, IdentifierType.LoyaltyId, "CARD79927398713"), StringComparison.Ordinal);
        Assert.Contains("check digit", Reject(Configured, IdentifierType.LoyaltyId, "LOY79927398710"), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDigit_LegacyLuhnSwitch_MeansLuhn_AndContradictingMod97IsRefused()
    {
        var legacy = new IdentifierNormalizer(new() { LoyaltyIdLuhnCheck = true });
        Reject(legacy, IdentifierType.LoyaltyId, "79444");
        Accept(legacy, IdentifierType.LoyaltyId, "79927398713");

        Accept(new IdentifierNormalizer(new() { LoyaltyIdLuhnCheck = true, LoyaltyCheckDigit = CheckDigitAlgorithm.Luhn }), IdentifierType.LoyaltyId, "79927398713");
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new() { LoyaltyIdLuhnCheck = true, LoyaltyCheckDigit = CheckDigitAlgorithm.Mod97 }));
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new() { LoyaltyCheckDigit = (CheckDigitAlgorithm)7 }));
    }

    // ================================================================ loyalty ids: case

    [Theory]
    [InlineData("loy-00042-ab", "LOY-00042-AB")]
    [InlineData("Carte\u00e9t\u00e9", "CARTE\u00c9T\u00c9")]
    [InlineData("carte\u0065\u0301", "CARTE\u00c9")] // NFC before folding
    public void LoyaltyIds_AreUpperCasedByDefault(string raw, string expected) =>
        Assert.Equal(expected, Accept(Defaults, IdentifierType.LoyaltyId, raw));

    [Fact]
    public void LoyaltyIds_UpperCasing_IsCultureInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR"); // "i" would become "İ" in Turkish
            Assert.Equal("LOYI42", Accept(Defaults, IdentifierType.LoyaltyId, "loyi42"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void LoyaltyIds_KeepTheirCase_WhenFoldingIsOff() =>
        Assert.Equal("Loy-00042-ab", Accept(new IdentifierNormalizer(new() { LoyaltyIdUpperCase = false }), IdentifierType.LoyaltyId, " Loy-00042-ab "));

    // ================================================================ anonymous and CRM ids

    [Theory]
    [InlineData(IdentifierType.AnonymousId, " 3F2504E0-4F89-11D3-9A0C-0305E82C3301 ", "3F2504E0-4F89-11D3-9A0C-0305E82C3301")]
    [InlineData(IdentifierType.AnonymousId, "GA1.2.1234567890.1700000000", "GA1.2.1234567890.1700000000")]
    [InlineData(IdentifierType.AnonymousId, "fbp.1.1596403881668.1116446470", "fbp.1.1596403881668.1116446470")]
    [InlineData(IdentifierType.CrmId, "0031t00000AbCdEAAV", "0031t00000AbCdEAAV")] // Salesforce: case matters
    [InlineData(IdentifierType.CrmId, "CUST/2024/000042", "CUST/2024/000042")]
    [InlineData(IdentifierType.CrmId, "client-\u00e9t\u00e9", "client-\u00e9t\u00e9")]
    [InlineData(IdentifierType.CrmId, "client-e\u0301te\u0301", "client-\u00e9t\u00e9")] // NFC
    [InlineData(IdentifierType.CrmId, "\u05dc\u05e7\u05d5\u05d7-42", "\u05dc\u05e7\u05d5\u05d7-42")] // Hebrew, right-to-left text itself is fine
    [InlineData(IdentifierType.AnonymousId, "device-\U0001F600", "device-\U0001F600")]
    public void Opaque_RealIds_AreKeptAsWritten(IdentifierType type, string raw, string expected) =>
        Assert.Equal(expected, Accept(Defaults, type, raw));

    [Theory]
    [InlineData("crm\u202e42")] // right-to-left override
    [InlineData("crm\u200f42")] // right-to-left mark
    [InlineData("crm\u206642\u2069")] // directional isolates
    [InlineData("crm\u200d42")] // zero-width joiner
    [InlineData("crm\u2060 42")] // word joiner
    [InlineData("\ufeffcrm42")] // byte order mark
    [InlineData("crm\u00ad42")] // soft hyphen
    [InlineData("crm\U000E0041\U000E007F")] // tag characters (outside the BMP)
    [InlineData("crm\u2028x")] // line separator
    [InlineData("crm\u0085x")] // next line
    public void Opaque_InvisibleCharacters_AreRejected(string raw)
    {
        Assert.Contains("invisible", Reject(Defaults, IdentifierType.CrmId, raw), StringComparison.Ordinal);
        Reject(Defaults, IdentifierType.AnonymousId, raw);
        Reject(Defaults, IdentifierType.LoyaltyId, raw);
    }

    [Fact]
    public void Opaque_LengthIsCountedInUtf16Units()
    {
        var emoji = "\U0001F600";
        Assert.Equal(128, Accept(Defaults, IdentifierType.AnonymousId, string.Concat(Enumerable.Repeat(emoji, 64))).Length);
        Assert.Contains("128", Reject(Defaults, IdentifierType.AnonymousId, string.Concat(Enumerable.Repeat(emoji, 65))), StringComparison.Ordinal);
    }

    // ================================================================ hostile input, every type

    public static TheoryData<IdentifierType> AllTypes() =>
        [IdentifierType.Email, IdentifierType.Phone, IdentifierType.LoyaltyId, IdentifierType.AnonymousId, IdentifierType.CrmId];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Hostile_LoneSurrogates_AreRejectedAsInvalidUnicode(IdentifierType type)
    {
        foreach (var raw in new[] { "abc\ud800", "\udc00abc", "a\ud800b@example.com", "+33\ud83d612345678", "\ude00\ud83d" })
        {
            Assert.Contains("valid Unicode", Reject(Defaults, type, raw), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Hostile_VeryLongStrings_AreRejectedQuickly(IdentifierType type)
    {
        var watch = Stopwatch.StartNew();
        foreach (var raw in new[]
        {
            new string('a', 1_000_000),
            new string('@', 10_000),
            new string('6', 100_000),
            string.Concat(Enumerable.Repeat("\U0001F600", 50_000)),
            "jean@" + new string('a', 100_000) + ".com",
            new string('.', 5000),
        })
        {
            Assert.Contains("320", Reject(Defaults, type, raw), StringComparison.Ordinal);
            Assert.Contains("320", Reject(Configured, type, raw), StringComparison.Ordinal);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Hostile_LongestAllowedGarbage_DoesNotCrash(IdentifierType type)
    {
        foreach (var unit in new[] { "a", "@", ".", "+", "6", "\u0301", "\u200b", "\U0001F600", "\u202e", "\"", "(", "[", "\\", "%", "\u00e9", "x@y." })
        {
            var raw = string.Concat(Enumerable.Repeat(unit, Limits.MaxRawIdentifierLength / unit.Length));
            CheckNormalizesOrSaysWhy(Defaults, type, raw);
            CheckNormalizesOrSaysWhy(Configured, type, raw);
        }
    }

    [Fact]
    public void Hostile_CombiningMarksWithoutABase_DoNotCrash()
    {
        CheckNormalizesOrSaysWhy(Defaults, IdentifierType.Email, "\u0301\u0301\u0301@example.com");
        CheckNormalizesOrSaysWhy(Defaults, IdentifierType.Email, "jean@\u0301example.com");
        CheckNormalizesOrSaysWhy(Defaults, IdentifierType.CrmId, "\u0301" + new string('\u0308', 200));
    }

    [Theory]
    [InlineData("jean@раураl.com", "jean@paypal.com")] // Cyrillic "раура"
    [InlineData("jеan@example.com", "jean@example.com")] // Cyrillic "е" in the local part
    [InlineData("jean@examp\u04cfe.com", "jean@example.com")] // Cyrillic palochka for "l"
    public void Homographs_AreOutOfScope_ButKeptApartFromTheLatinSpelling(string raw, string latin) =>
        Assert.NotEqual(Email(latin), Email(raw));

    [Fact]
    public void Homograph_Domain_IsKeptInItsPunycodeForm() =>
        Assert.Equal("jean@xn--l-7sba6dbr.com", Email("jean@раураl.com"));

    /// <summary>Random strings from an alphabet of the characters that break parsers: nothing throws, and results are stable.</summary>
    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Hostile_RandomInput_NeverThrows_AndAcceptedValuesAreStable(IdentifierType type)
    {
        string[] alphabet =
        [
            "a", "Z", "é", "e\u0301", "ß", "İ", "ς", "用", "\U00020000", "0", "6", "٣", "３", "@", "@", ".", ".", "+", "-", "_", "'", "\"",
            "(", ")", "[", "]", "<", "\\", " ", "\u00a0", "\u202f", "\t", "\u0000", "\u200b", "\u200d", "\u200f", "\u202e", "\ufeff",
            "\U0001F600", "\U000E0041", "\ud800", "\udfff", "\u0301", "\u3002", "ｇ", "xn--", "gmail.com", "googlemail.com", "LOY", "+33", "00",
        ];
        var random = new Random(20240611 + (int)type);
        for (var i = 0; i < 3000; i++)
        {
            var raw = new StringBuilder();
            var parts = random.Next(1, 24);
            for (var p = 0; p < parts; p++)
            {
                raw.Append(alphabet[random.Next(alphabet.Length)]);
            }

            CheckNormalizesOrSaysWhy(Defaults, type, raw.ToString());
            CheckNormalizesOrSaysWhy(Configured, type, raw.ToString());
        }
    }

    /// <summary>Random near-valid addresses and numbers, so that the stability check also sees many accepted values.</summary>
    [Fact]
    public void Hostile_RandomPlausibleEmailsAndPhones_AreStable()
    {
        string[] localTokens =
        [
            "jean", "J", "dupont", "é", "e\u0301", ".", ".", "+", "+", "promo", "ß", "İ", "ǅ", "Σ", "ς", "用", "\U00020000", "'", "-", "_",
            "\u0301", "\u2126", "ﬁ", "Å", "A\u030a", "9", "\u0660", "=", "{", "~",
        ];
        string[] domains =
        [
            "gmail.com", "GoogleMail.COM", "googlemail.com.", "outlook.com", "Outlook.FR", "bücher.de", "BÜCHER.de", "xn--bcher-kva.de",
            "例子.广告", "example.com.", "ＥＸＡＭＰＬＥ.com", "a-b.co.uk", "παράδειγμα.δοκιμή", "example\u3002org", "123.fr", "ex\u00ADample.com",
        ];
        string[] phonePrefixes = ["+33", "0033", "00 33", "0", "+33 (0)", "(0)", "+1", "+44", "+32", "", "\uff0b33", "+"];
        string[] separators = ["", " ", ".", "-", "\u00a0", "\u202f", "/", "\u2013"];

        var random = new Random(42);
        var accepted = new Dictionary<IdentifierType, int> { [IdentifierType.Email] = 0, [IdentifierType.Phone] = 0 };
        for (var i = 0; i < 3000; i++)
        {
            var email = new StringBuilder();
            for (var t = random.Next(1, 5); t > 0; t--)
            {
                email.Append(localTokens[random.Next(localTokens.Length)]);
            }

            email.Append('@');
            if (random.Next(4) == 0)
            {
                email.Append(localTokens[random.Next(3)]).Append('.');
            }

            email.Append(domains[random.Next(domains.Length)]);

            var phone = new StringBuilder(phonePrefixes[random.Next(phonePrefixes.Length)]);
            phone.Append(random.Next(2) == 0 ? '6' : (char)('0' + random.Next(10)));
            var separator = separators[random.Next(separators.Length)];
            for (var d = random.Next(6, 11); d > 0; d--)
            {
                var digit = (char)('0' + random.Next(10));
                phone.Append(random.Next(10) == 0 ? (char)(digit - '0' + '\u0660') : digit);
                if (d % 2 == 1)
                {
                    phone.Append(separator);
                }
            }

            foreach (var (type, raw) in new[] { (IdentifierType.Email, email.ToString()), (IdentifierType.Phone, phone.ToString()) })
            {
                CheckNormalizesOrSaysWhy(Defaults, type, raw);
                CheckNormalizesOrSaysWhy(Configured, type, raw);
                if (Configured.TryNormalize(type, raw, out _, out _))
                {
                    accepted[type]++;
                }
            }
        }

        Assert.True(accepted[IdentifierType.Email] > 300, $"only {accepted[IdentifierType.Email]} emails were accepted");
        Assert.True(accepted[IdentifierType.Phone] > 300, $"only {accepted[IdentifierType.Phone]} phones were accepted");
    }

    public static TheoryData<IdentifierType, string> RealValues() => new()
    {
        { IdentifierType.Email, " Jean.Dupont+Promo@GoogleMail.COM. " },
        { IdentifierType.Email, "E\u0301lodie@BÜCHER.de" },
        { IdentifierType.Email, "jean.+x@outlook.com" },
        { IdentifierType.Email, "用户@例子.广告" },
        { IdentifierType.Email, "\U00020000+x@gmail.com" },
        { IdentifierType.Phone, "0033 (0)6 12 34 56 78" },
        { IdentifierType.Phone, "\u0660\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668" },
        { IdentifierType.LoyaltyId, " loy79927398713 " },
        { IdentifierType.AnonymousId, "jose\u0301" },
        { IdentifierType.CrmId, "0031t00000AbCdEAAV" },
    };

    [Theory]
    [MemberData(nameof(RealValues))]
    public void NormalizedValues_NormalizeToThemselves(IdentifierType type, string raw)
    {
        CheckNormalizesOrSaysWhy(Defaults, type, raw);
        CheckNormalizesOrSaysWhy(Configured, type, raw);
        Assert.True(Configured.TryNormalize(type, raw, out _, out var error), error);
    }

    /// <summary>Either a value that normalizes to itself (so stored keys and fresh input agree) or a reason; never an exception.</summary>
    private static void CheckNormalizesOrSaysWhy(IdentifierNormalizer normalizer, IdentifierType type, string raw)
    {
        bool ok;
        CustomerIdentifier identifier;
        string error;
        try
        {
            ok = normalizer.TryNormalize(type, raw, out identifier, out error);
        }
        catch (Exception e)
        {
            Assert.Fail($"{type} '{Escape(raw)}' threw {e}");
            return;
        }

        if (!ok)
        {
            Assert.Equal(default, identifier);
            Assert.False(string.IsNullOrWhiteSpace(error), $"{type} '{Escape(raw)}' was rejected without a reason");
            return;
        }

        Assert.Equal(string.Empty, error);
        Assert.True(identifier.Value.Length <= Limits.MaxRawIdentifierLength);
        Assert.True(identifier.Value.IsNormalized(NormalizationForm.FormC), $"{type} '{Escape(identifier.Value)}' is not NFC");
        Assert.True(normalizer.TryNormalize(type, identifier.Value, out var again, out var againError),
            $"{type} '{Escape(raw)}' gave '{Escape(identifier.Value)}', which is then rejected: {againError}");
        Assert.Equal(identifier, again);
        _ = TestData.Keys.KeyOf(identifier);
    }

    private static string Escape(string value)
    {
        var escaped = new StringBuilder();
        foreach (var c in value)
        {
            escaped.Append(c is >= ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return escaped.ToString();
    }
}
