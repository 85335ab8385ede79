namespace ProfileGrains.Domain.Tests;

public sealed class LoyaltyAndEmailRulesTests
{
    private static string Accept(IdentifierNormalizer normalizer, IdentifierType type, string raw)
    {
        Assert.True(normalizer.TryNormalize(type, raw, out var id, out var error), error);
        return id.Value;
    }

    private static string Reject(IdentifierNormalizer normalizer, IdentifierType type, string raw)
    {
        Assert.False(normalizer.TryNormalize(type, raw, out _, out var error));
        return error;
    }

    [Theory]
    [InlineData("LOY0000012345")]
    [InlineData("loy0000012345")]
    [InlineData(" Loy0000012345 ")]
    public void Loyalty_ids_typed_in_any_case_are_one_card(string raw) =>
        Assert.Equal("LOY0000012345", Accept(new IdentifierNormalizer(), IdentifierType.LoyaltyId, raw));

    [Fact]
    public void Loyalty_case_folding_can_be_turned_off() =>
        Assert.Equal("loy42", Accept(new IdentifierNormalizer(new() { LoyaltyIdUpperCase = false }), IdentifierType.LoyaltyId, "loy42"));

    [Fact]
    public void A_loyalty_pattern_accepts_matching_cards_and_names_itself_when_it_refuses()
    {
        var normalizer = new IdentifierNormalizer(new() { LoyaltyIdPattern = "^LOY[0-9]{10}$" });

        Assert.Equal("LOY0000012345", Accept(normalizer, IdentifierType.LoyaltyId, "loy0000012345"));
        Assert.Contains("^LOY[0-9]{10}$", Reject(normalizer, IdentifierType.LoyaltyId, "LOY123"), StringComparison.Ordinal);
        Assert.Contains("pattern", Reject(normalizer, IdentifierType.LoyaltyId, "XYZ0000012345"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_loyalty_pattern_is_refused_at_start_up() =>
        Assert.Throws<ArgumentException>(() => new IdentifierNormalizer(new() { LoyaltyIdPattern = "([" }));

    [Theory]
    [InlineData("79927398713", true)]
    [InlineData("LOY79927398713", true)]
    [InlineData("79927398710", false)]
    [InlineData("7", false)]
    public void Luhn_check_digits_are_verified_when_asked(string raw, bool valid)
    {
        var normalizer = new IdentifierNormalizer(new() { LoyaltyIdLuhnCheck = true });

        Assert.Equal(valid, normalizer.TryNormalize(IdentifierType.LoyaltyId, raw, out _, out var error));
        Assert.True(valid || error.Contains("check digit", StringComparison.Ordinal));
    }

    [Fact]
    public void Plus_addressing_is_folded_only_for_the_configured_domains()
    {
        var folding = new IdentifierNormalizer(new() { PlusAddressingDomains = ["gmail.com"] });

        Assert.Equal("jean@gmail.com", Accept(folding, IdentifierType.Email, "Jean+Promo@Gmail.com"));
        Assert.Equal("jean+promo@orange.fr", Accept(folding, IdentifierType.Email, "jean+promo@orange.fr"));
        Assert.Equal("jean+promo@gmail.com", Accept(new IdentifierNormalizer(), IdentifierType.Email, "jean+promo@gmail.com"));
        Assert.Equal("+tag@gmail.com", Accept(folding, IdentifierType.Email, "+tag@gmail.com"));
    }

    [Theory]
    [InlineData(".jean@orange.fr")]
    [InlineData("jean.@orange.fr")]
    [InlineData("je..an@orange.fr")]
    [InlineData("\"jean\"@orange.fr")]
    [InlineData("jean(comment)@orange.fr")]
    [InlineData("jean,dupont@orange.fr")]
    public void Email_local_parts_must_be_a_dot_atom(string raw) =>
        Assert.Contains("local part", Reject(new IdentifierNormalizer(), IdentifierType.Email, raw), StringComparison.Ordinal);

    [Theory]
    [InlineData("o'brien@orange.fr", "o'brien@orange.fr")]
    [InlineData("jean.dupont-2@orange.fr", "jean.dupont-2@orange.fr")]
    [InlineData("Hélène@Orange.FR", "hélène@orange.fr")]
    [InlineData("用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v")]
    public void Real_addresses_pass(string raw, string expected) =>
        Assert.Equal(expected, Accept(new IdentifierNormalizer(), IdentifierType.Email, raw));
}
