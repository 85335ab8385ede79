using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class TraitsValidationTests
{
    private static readonly ProfileTraits Valid = new()
    {
        Name = new PersonName("Zoë", "Nguyễn", null, null, "Zo 🌸", "Dr"),
        BirthDate = new DateOnly(1990, 2, 28),
        Gender = Gender.Female,
        Locale = "fr-FR",
        Addresses = [new PostalAddress("home", ["12 rue de Rivoli", "Bâtiment B"], "75004", "Paris", "Île-de-France", "FR")],
        Occupation = "designer",
        Company = new Company("Acme", 10, Eur(1_000_000), "SAS", "retail"),
        Preferences = new Preferences(["running", "日本語"], new Dictionary<string, string> { ["shoes"] = "39" }, "sport", ["moved"], ["tennis"]),
        CustomAttributes = new Dictionary<string, string> { ["vip"] = "yes" },
        Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now), Consent(ContactChannel.Sms, ConsentStatus.Denied, Now)],
        LoyaltyTier = "gold",
    };

    private static IReadOnlyList<FieldViolation> Validate(ProfileTraits traits, string prefix = "traits")
    {
        var v = new Violations();
        TraitsValidator.Validate(traits, DateOnly.FromDateTime(Now.UtcDateTime), prefix, v);
        return v.Items;
    }

    private static void AssertOnlyViolation(ProfileTraits traits, string field)
    {
        var items = Validate(traits);
        Assert.True(items.Count == 1 && items[0].Field == field, $"expected one violation on {field}, got: {string.Join("; ", items)}");
        Assert.False(string.IsNullOrWhiteSpace(items[0].Description));
    }

    [Fact]
    public void ValidTraits_WithUnicodeText_HaveNoViolations() => Assert.Empty(Validate(Valid));

    [Fact]
    public void EmptyTraits_HaveNoViolations() => Assert.Empty(Validate(ProfileTraits.Empty));

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("en")]
    [InlineData("en-GB")]
    [InlineData("zh-Hant-TW")]
    [InlineData("pt-BR")]
    public void Locale_KnownTag_IsValid(string locale) => Assert.Empty(Validate(Valid with { Locale = locale }));

    [Theory]
    [InlineData("xx-??")]
    [InlineData("fr_FR")]
    [InlineData("f")]
    [InlineData("")]
    [InlineData("fr FR")]
    [InlineData("qq-ZZ")]
    public void Locale_BadTag_IsReportedOnTraitsLocale(string locale) => AssertOnlyViolation(Valid with { Locale = locale }, "traits.locale");

    [Theory]
    [InlineData("fr")]
    [InlineData("FRA")]
    [InlineData("F")]
    [InlineData("F1")]
    [InlineData("")]
    public void CountryCode_NotTwoUppercaseLetters_IsReportedWithTheAddressIndex(string code)
    {
        var second = new PostalAddress("work", ["1 Main St"], null, "Leeds", null, code);
        AssertOnlyViolation(Valid with { Addresses = [Valid.Addresses[0], second] }, "traits.addresses[1].country_code");
    }

    [Fact]
    public void CountryCode_Lowercase_OnFirstAddress() =>
        AssertOnlyViolation(Valid with { Addresses = [Valid.Addresses[0] with { CountryCode = "fr" }] }, "traits.addresses[0].country_code");

    [Fact]
    public void Addresses_TooMany_IsReported()
    {
        var address = Valid.Addresses[0];
        AssertOnlyViolation(Valid with { Addresses = [.. Enumerable.Repeat(address, Limits.MaxAddresses + 1)] }, "traits.addresses");
        Assert.Empty(Validate(Valid with { Addresses = [.. Enumerable.Repeat(address, Limits.MaxAddresses)] }));
    }

    [Fact]
    public void Address_TooManyLines_OrABlankLine_IsReported()
    {
        var address = Valid.Addresses[0];
        AssertOnlyViolation(Valid with { Addresses = [address with { Lines = [.. Enumerable.Repeat("line", Limits.MaxAddressLines + 1)] }] }, "traits.addresses[0].lines");
        AssertOnlyViolation(Valid with { Addresses = [address with { Lines = ["1 rue", " "] }] }, "traits.addresses[0].lines");
        AssertOnlyViolation(Valid with { Addresses = [address with { PostalCode = new string('9', 33) }] }, "traits.addresses[0].postal_code");
    }

    [Fact]
    public void Interests_TooMany_IsReported()
    {
        var prefs = Valid.Preferences with { Interests = [.. Enumerable.Range(0, Limits.MaxSetItems + 1).Select(i => "i" + i)] };
        AssertOnlyViolation(Valid with { Preferences = prefs }, "traits.preferences.interests");
        Assert.Empty(Validate(Valid with { Preferences = prefs with { Interests = [.. prefs.Interests.Take(Limits.MaxSetItems)] } }));
    }

    [Fact]
    public void Sports_And_LifeEvents_AreCheckedLikeInterests()
    {
        AssertOnlyViolation(Valid with { Preferences = Valid.Preferences with { Sports = ["ok", "bad\u0007"] } }, "traits.preferences.sports");
        AssertOnlyViolation(Valid with { Preferences = Valid.Preferences with { LifeEvents = [""] } }, "traits.preferences.life_events");
    }

    [Fact]
    public void Sizes_TooMany_IsReported()
    {
        var sizes = Enumerable.Range(0, Limits.MaxSizes + 1).ToDictionary(i => "s" + i, _ => "M");
        AssertOnlyViolation(Valid with { Preferences = Valid.Preferences with { Sizes = sizes } }, "traits.preferences.sizes");
    }

    [Theory]
    [InlineData("name.given_name")]
    [InlineData("name.family_name")]
    [InlineData("name.middle_names")]
    [InlineData("name.maiden_name")]
    [InlineData("name.nickname")]
    [InlineData("name.title")]
    [InlineData("occupation")]
    [InlineData("loyalty_tier")]
    public void ShortText_OverTheLimitOrWithControlCharacters_IsReportedOnItsPath(string path)
    {
        ProfileTraits With(string value) => path switch
        {
            "name.given_name" => Valid with { Name = Valid.Name with { GivenName = value } },
            "name.family_name" => Valid with { Name = Valid.Name with { FamilyName = value } },
            "name.middle_names" => Valid with { Name = Valid.Name with { MiddleNames = value } },
            "name.maiden_name" => Valid with { Name = Valid.Name with { MaidenName = value } },
            "name.nickname" => Valid with { Name = Valid.Name with { Nickname = value } },
            "name.title" => Valid with { Name = Valid.Name with { Title = value } },
            "occupation" => Valid with { Occupation = value },
            _ => Valid with { LoyaltyTier = value },
        };

        Assert.Empty(Validate(With(new string('é', Limits.MaxShortTextLength))));
        AssertOnlyViolation(With(new string('é', Limits.MaxShortTextLength + 1)), "traits." + path);
        AssertOnlyViolation(With("Ali\u0000ce"), "traits." + path);
        AssertOnlyViolation(With("Ali\nce"), "traits." + path);
        AssertOnlyViolation(With("Ali\u009bce"), "traits." + path); // C1 control
    }

    [Fact]
    public void DuplicateConsentChannels_AreReported()
    {
        var consents = new[] { Consent(ContactChannel.Email, ConsentStatus.Granted, Now), Consent(ContactChannel.Email, ConsentStatus.Denied, Now.AddDays(-1)) };
        AssertOnlyViolation(Valid with { Consents = consents }, "traits.consents");
    }

    [Fact]
    public void Consent_FieldsAreChecked_WithTheirIndex()
    {
        AssertOnlyViolation(Valid with { Consents = [Valid.Consents[0], Consent(ContactChannel.Sms, ConsentStatus.Granted, default)] }, "traits.consents[1].decided_at");
        AssertOnlyViolation(Valid with { Consents = [Consent((ContactChannel)42, ConsentStatus.Granted, Now)] }, "traits.consents[0].channel");
        AssertOnlyViolation(Valid with { Consents = [Consent(ContactChannel.Post, (ConsentStatus)9, Now)] }, "traits.consents[0].status");
        AssertOnlyViolation(Valid with { Consents = [Consent(ContactChannel.Post, ConsentStatus.Granted, Now, new string('s', 257))] }, "traits.consents[0].source");
    }

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(1066, 10, 14)]
    [InlineData(2999, 1, 1)]
    public void BirthDate_Before1900OrInTheFuture_IsReported(int year, int month, int day) =>
        AssertOnlyViolation(Valid with { BirthDate = new DateOnly(year, month, day) }, "traits.birth_date");

    [Fact]
    public void BirthDate_IsJudgedAgainstTheEngineClock_NotTheMachineClock()
    {
        Assert.Empty(Validate(Valid with { BirthDate = DateOnly.FromDateTime(Now.UtcDateTime) }));
        AssertOnlyViolation(Valid with { BirthDate = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(1) }, "traits.birth_date");
    }

    [Fact]
    public void BirthDate_OnFirstJanuary1900_IsValid() => Assert.Empty(Validate(Valid with { BirthDate = new DateOnly(1900, 1, 1) }));

    [Fact]
    public void Gender_Unknown_IsReported() => AssertOnlyViolation(Valid with { Gender = (Gender)17 }, "traits.gender");

    [Fact]
    public void Company_FieldsAreChecked()
    {
        AssertOnlyViolation(Valid with { Company = Valid.Company! with { Employees = -1 } }, "traits.company.employees");
        AssertOnlyViolation(Valid with { Company = Valid.Company! with { AnnualRevenue = new Money("eur", 10) } }, "traits.company.annual_revenue.currency_code");
        AssertOnlyViolation(Valid with { Company = Valid.Company! with { AnnualRevenue = Eur(-1) } }, "traits.company.annual_revenue");
        AssertOnlyViolation(Valid with { Company = Valid.Company! with { Name = "Ac\u0001me" } }, "traits.company.name");
        Assert.Empty(Validate(Valid with { Company = new Company(null, null, null, null, null) }));
    }

    [Fact]
    public void CustomAttributes_CountKeyAndValueLimits()
    {
        var tooMany = Enumerable.Range(0, Limits.MaxCustomAttributes + 1).ToDictionary(i => "k" + i, _ => "v");
        AssertOnlyViolation(Valid with { CustomAttributes = tooMany }, "traits.custom_attributes");

        var longKey = new string('k', Limits.MaxPropertyKeyLength + 1);
        AssertOnlyViolation(Valid with { CustomAttributes = new Dictionary<string, string> { [longKey] = "v" } }, "traits.custom_attributes");
        AssertOnlyViolation(Valid with { CustomAttributes = new Dictionary<string, string> { [""] = "v" } }, "traits.custom_attributes");

        var longValue = new string('v', Limits.MaxPropertyValueLength + 1);
        AssertOnlyViolation(Valid with { CustomAttributes = new Dictionary<string, string> { ["tier"] = longValue } }, "traits.custom_attributes[tier]");

        Assert.Empty(Validate(Valid with
        {
            CustomAttributes = new Dictionary<string, string> { [new string('k', Limits.MaxPropertyKeyLength)] = new string('v', Limits.MaxPropertyValueLength) },
        }));
    }

    [Fact]
    public void EveryViolation_IsReportedAtOnce_UnderTheGivenPrefix()
    {
        var bad = Valid with
        {
            Locale = "xx-??",
            Gender = (Gender)17,
            Addresses = [Valid.Addresses[0] with { CountryCode = "fr" }],
            BirthDate = new DateOnly(1800, 1, 1),
        };

        var fields = Validate(bad, "request.traits").Select(v => v.Field).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["request.traits.addresses[0].country_code", "request.traits.birth_date", "request.traits.gender", "request.traits.locale"],
            fields);
    }
}
