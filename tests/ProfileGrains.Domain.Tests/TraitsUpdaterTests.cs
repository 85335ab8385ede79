using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class TraitsUpdaterTests
{
    private static readonly DateTimeOffset T1 = Now.AddDays(-10);
    private static readonly DateTimeOffset T2 = Now.AddDays(-5);
    private static readonly DateTimeOffset T3 = Now.AddDays(-1);

    /// <summary>A profile with every trait set.</summary>
    private static readonly ProfileTraits Current = new()
    {
        Name = new PersonName("Alice", "Martin", "Jeanne", "Durand", "Ali", "Dr"),
        BirthDate = new DateOnly(1985, 4, 12),
        Gender = Gender.Female,
        Locale = "fr-FR",
        Addresses = [new PostalAddress("home", ["1 rue de la Paix"], "75002", "Paris", null, "FR")],
        Occupation = "engineer",
        Company = new Company("Acme", 120, Eur(5_000_000), "SAS", "retail"),
        Preferences = new Preferences(["running"], new Dictionary<string, string> { ["shoes"] = "39" }, "sport", ["moved"], ["tennis"]),
        CustomAttributes = new Dictionary<string, string> { ["vip"] = "yes", ["source"] = "store" },
        Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, T2)],
        LoyaltyTier = "gold",
    };

    /// <summary>Different values for every trait.</summary>
    private static readonly ProfileTraits Incoming = new()
    {
        Name = new PersonName("Alicia", "Dupont", "Marie", "Leroy", "Lili", "Mme"),
        BirthDate = new DateOnly(1986, 5, 13),
        Gender = Gender.NonBinary,
        Locale = "en-GB",
        Addresses = [new PostalAddress("work", ["10 Downing St"], "SW1A 2AA", "London", null, "GB")],
        Occupation = "manager",
        Company = new Company("Globex", 5, null, null, null),
        Preferences = new Preferences(["cycling", "yoga"], new Dictionary<string, string> { ["shirt"] = "M" }, "outdoor", ["married"], ["golf"]),
        CustomAttributes = new Dictionary<string, string> { ["segment"] = "b2b" },
        Consents = [],
        LoyaltyTier = "platinum",
    };

    private static ProfileTraits Apply(ProfileTraits current, ProfileTraits values, params string[] paths) =>
        TraitsUpdater.Apply(current, new TraitsUpdate(values, paths));

    private static readonly string[] PathList =
    [
        "name", "name.given_name", "name.family_name", "name.middle_names", "name.maiden_name", "name.nickname", "name.title",
        "birth_date", "gender", "locale", "addresses", "occupation", "company", "preferences", "preferences.interests",
        "preferences.sizes", "preferences.favourite_department", "preferences.life_events", "preferences.sports",
        "custom_attributes", "loyalty_tier",
    ];

    public static TheoryData<string> SimplePaths => new(PathList);

    /// <summary>What each path reads, to compare the field it governs and nothing else.</summary>
    private static object? Read(ProfileTraits t, string path) => path switch
    {
        "name" => t.Name,
        "name.given_name" => t.Name.GivenName,
        "name.family_name" => t.Name.FamilyName,
        "name.middle_names" => t.Name.MiddleNames,
        "name.maiden_name" => t.Name.MaidenName,
        "name.nickname" => t.Name.Nickname,
        "name.title" => t.Name.Title,
        "birth_date" => t.BirthDate,
        "gender" => t.Gender,
        "locale" => t.Locale,
        "addresses" => t.Addresses,
        "occupation" => t.Occupation,
        "company" => t.Company,
        "preferences" => t.Preferences,
        "preferences.interests" => t.Preferences.Interests,
        "preferences.sizes" => t.Preferences.Sizes,
        "preferences.favourite_department" => t.Preferences.FavouriteDepartment,
        "preferences.life_events" => t.Preferences.LifeEvents,
        "preferences.sports" => t.Preferences.Sports,
        "custom_attributes" => t.CustomAttributes,
        "loyalty_tier" => t.LoyaltyTier,
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };

    private static bool Overlaps(string a, string b) => a == b || a.StartsWith(b + ".", StringComparison.Ordinal) || b.StartsWith(a + ".", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(SimplePaths))]
    public void EachPath_TakesTheNewValue_AndLeavesEveryUnrelatedFieldUntouched(string path)
    {
        var result = Apply(Current, Incoming, path);

        Assert.Equal(Read(Incoming, path), Read(result, path));
        Assert.NotEqual(Read(Current, path), Read(result, path));
        foreach (var other in PathList.Where(p => !Overlaps(p, path)))
        {
            Assert.Equal(Read(Current, other), Read(result, other));
        }

        Assert.Equal(Current.Consents, result.Consents);
    }

    [Theory]
    [MemberData(nameof(SimplePaths))]
    public void EachPath_MaskedWithAnEmptyValue_ClearsTheField(string path)
    {
        var result = Apply(Current, ProfileTraits.Empty, path);
        Assert.Equal(Read(ProfileTraits.Empty, path), Read(result, path));
    }

    [Fact]
    public void MaskedEmptyValues_ClearToNullOrEmpty()
    {
        var result = Apply(Current, ProfileTraits.Empty, "name.given_name", "birth_date", "gender", "locale", "addresses", "company", "preferences.interests", "loyalty_tier");

        Assert.Null(result.Name.GivenName);
        Assert.Equal("Martin", result.Name.FamilyName);
        Assert.Null(result.BirthDate);
        Assert.Equal(Gender.Unspecified, result.Gender);
        Assert.Null(result.Locale);
        Assert.Empty(result.Addresses);
        Assert.Null(result.Company);
        Assert.Empty(result.Preferences.Interests);
        Assert.Equal(["tennis"], result.Preferences.Sports);
        Assert.Null(result.LoyaltyTier);
        Assert.Equal("engineer", result.Occupation);
    }

    [Fact]
    public void Name_WholePath_ReplacesEveryNamePart()
    {
        var result = Apply(Current, new ProfileTraits { Name = new PersonName(GivenName: "Bob") }, "name");
        Assert.Equal(new PersonName(GivenName: "Bob"), result.Name);
    }

    [Fact]
    public void NoPaths_ChangesNothing_EvenWithValues()
    {
        var result = Apply(Current, Incoming);
        Assert.Equal(Current, result);
    }

    [Fact]
    public void Apply_DoesNotMutateTheCurrentTraits()
    {
        var snapshot = Current with { };
        _ = Apply(Current, Incoming, [.. PathList, "consents", "custom_attributes.vip"]);
        Assert.Equal(snapshot, Current);
        Assert.Equal("yes", Current.CustomAttributes["vip"]);
    }

    [Fact]
    public void SeveralPaths_AreAllApplied()
    {
        var result = Apply(Current, Incoming, "locale", "occupation", "name.nickname");
        Assert.Equal("en-GB", result.Locale);
        Assert.Equal("manager", result.Occupation);
        Assert.Equal("Lili", result.Name.Nickname);
        Assert.Equal("Alice", result.Name.GivenName);
        Assert.Equal("gold", result.LoyaltyTier);
    }

    [Fact]
    public void CustomAttribute_KeyPath_SetsOnlyThatKey()
    {
        var values = new ProfileTraits { CustomAttributes = new Dictionary<string, string> { ["vip"] = "no", ["other"] = "ignored" } };
        var result = Apply(Current, values, "custom_attributes.vip");

        Assert.Equal(new Dictionary<string, string> { ["vip"] = "no", ["source"] = "store" }, result.CustomAttributes);
    }

    [Fact]
    public void CustomAttribute_KeyPath_AddsANewKey()
    {
        var values = new ProfileTraits { CustomAttributes = new Dictionary<string, string> { ["team"] = "blue" } };
        var result = Apply(Current, values, "custom_attributes.team");
        Assert.Equal(3, result.CustomAttributes.Count);
        Assert.Equal("blue", result.CustomAttributes["team"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CustomAttribute_KeyPath_WithEmptyOrMissingValue_RemovesTheKey(bool presentButEmpty)
    {
        var values = new ProfileTraits
        {
            CustomAttributes = presentButEmpty ? new Dictionary<string, string> { ["vip"] = "" } : new Dictionary<string, string>(),
        };
        var result = Apply(Current, values, "custom_attributes.vip");

        Assert.Equal(new Dictionary<string, string> { ["source"] = "store" }, result.CustomAttributes);
    }

    [Fact]
    public void CustomAttributes_WholePath_ReplacesTheMap()
    {
        var result = Apply(Current, Incoming, "custom_attributes");
        Assert.Equal(new Dictionary<string, string> { ["segment"] = "b2b" }, result.CustomAttributes);
    }

    [Fact]
    public void CustomAttribute_KeysAreCaseSensitive()
    {
        var values = new ProfileTraits { CustomAttributes = new Dictionary<string, string> { ["VIP"] = "maybe" } };
        var result = Apply(Current, values, "custom_attributes.VIP");
        Assert.Equal("yes", result.CustomAttributes["vip"]);
        Assert.Equal("maybe", result.CustomAttributes["VIP"]);
    }

    // ---- consents ----

    private static ProfileTraits WithConsents(params ConsentDecision[] consents) => new() { Consents = consents };

    [Fact]
    public void Consents_LatestDecisionPerChannelWins_WhateverTheArrivalOrder()
    {
        var granted = Consent(ContactChannel.Email, ConsentStatus.Granted, T1);
        var denied = Consent(ContactChannel.Email, ConsentStatus.Denied, T2);

        var inOrder = Apply(Apply(ProfileTraits.Empty, WithConsents(granted), "consents"), WithConsents(denied), "consents");
        var reversed = Apply(Apply(ProfileTraits.Empty, WithConsents(denied), "consents"), WithConsents(granted), "consents");

        Assert.Equal([denied], inOrder.Consents);
        Assert.Equal([denied], reversed.Consents);
    }

    [Fact]
    public void Consents_AnOlderDecision_NeverOverridesANewerOne()
    {
        var current = WithConsents(Consent(ContactChannel.Email, ConsentStatus.Denied, T3, "unsubscribe-link"));
        var result = Apply(current, WithConsents(Consent(ContactChannel.Email, ConsentStatus.Granted, T2, "crm-import")), "consents");

        Assert.Equal(ConsentStatus.Denied, Assert.Single(result.Consents).Status);
        Assert.Equal("unsubscribe-link", result.Consents[0].Source);
    }

    [Fact]
    public void Consents_Unknown_NeverOverridesAnExplicitDecision_EvenWhenNewer()
    {
        var current = WithConsents(Consent(ContactChannel.Sms, ConsentStatus.Granted, T1));
        var result = Apply(current, WithConsents(Consent(ContactChannel.Sms, ConsentStatus.Unknown, T3)), "consents");

        Assert.Equal(ConsentStatus.Granted, Assert.Single(result.Consents).Status);
    }

    [Fact]
    public void Consents_Unknown_IsNotRecordedAtAll()
    {
        var result = Apply(ProfileTraits.Empty, WithConsents(Consent(ContactChannel.Sms, ConsentStatus.Unknown, T3)), "consents");
        Assert.Empty(result.Consents);
    }

    [Fact]
    public void Consents_MergePerChannel_AndAreSortedByChannel()
    {
        var current = WithConsents(Consent(ContactChannel.Push, ConsentStatus.Granted, T1), Consent(ContactChannel.Email, ConsentStatus.Granted, T1));
        var result = Apply(current, WithConsents(Consent(ContactChannel.Sms, ConsentStatus.Denied, T2), Consent(ContactChannel.Email, ConsentStatus.Denied, T2)), "consents");

        Assert.Equal([ContactChannel.Email, ContactChannel.Sms, ContactChannel.Push], result.Consents.Select(c => c.Channel));
        Assert.Equal([ConsentStatus.Denied, ConsentStatus.Denied, ConsentStatus.Granted], result.Consents.Select(c => c.Status));
    }

    [Fact]
    public void Consents_EmptyIncoming_KeepsExistingDecisions_UnlikeOtherPaths()
    {
        var result = Apply(Current, ProfileTraits.Empty, "consents");
        Assert.Equal(Current.Consents, result.Consents);
    }

    [Fact]
    public void Consents_SeveralDecisionsForOneChannelInOneUpdate_TheLatestWinsWhateverTheirOrder()
    {
        var newer = Consent(ContactChannel.Email, ConsentStatus.Granted, T3);
        var older = Consent(ContactChannel.Email, ConsentStatus.Denied, T1);

        Assert.Equal([newer], Apply(ProfileTraits.Empty, WithConsents(newer, older), "consents").Consents);
        Assert.Equal([newer], Apply(ProfileTraits.Empty, WithConsents(older, newer), "consents").Consents);
    }

    [Fact]
    public void Consents_ShuffledHistory_AlwaysConvergesOnTheLatestDecisions()
    {
        ConsentDecision[] history =
        [
            Consent(ContactChannel.Email, ConsentStatus.Granted, T1),
            Consent(ContactChannel.Email, ConsentStatus.Denied, T2),
            Consent(ContactChannel.Email, ConsentStatus.Unknown, T3),
            Consent(ContactChannel.Sms, ConsentStatus.Denied, T1),
            Consent(ContactChannel.Sms, ConsentStatus.Granted, T3),
            Consent(ContactChannel.Post, ConsentStatus.Unknown, T2),
        ];
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var traits = ProfileTraits.Empty;
            foreach (var decision in history.OrderBy(_ => random.Next()))
            {
                traits = Apply(traits, WithConsents(decision), "consents");
            }

            Assert.Equal([history[1], history[4]], traits.Consents);
        }
    }

    // ---- paths ----

    [Theory]
    [InlineData("email")]
    [InlineData("Name")]
    [InlineData("name.first")]
    [InlineData("preferences.colour")]
    [InlineData("consents.email")]
    [InlineData("")]
    public void UnsupportedPath_Throws(string path)
    {
        Assert.False(TraitsUpdater.IsSupportedPath(path));
        Assert.Throws<ArgumentException>(() => Apply(Current, Incoming, path));
    }

    [Fact]
    public void UnsupportedPath_AfterValidOnes_StillThrows_SoNothingIsHalfApplied() =>
        Assert.Throws<ArgumentException>(() => Apply(Current, Incoming, "locale", "nope"));

    [Theory]
    [MemberData(nameof(SimplePaths))]
    public void IsSupportedPath_AcceptsEveryApplicablePath(string path) => Assert.True(TraitsUpdater.IsSupportedPath(path));

    [Theory]
    [InlineData("consents", true)]
    [InlineData("custom_attributes.vip", true)]
    [InlineData("custom_attributes.a.b", true)]
    [InlineData("custom_attributes.", false)]
    [InlineData("custom_attributes", true)]
    [InlineData("name.", false)]
    [InlineData("preferences.", false)]
    [InlineData("LOCALE", false)]
    [InlineData(" locale", false)]
    public void IsSupportedPath_Cases(string path, bool expected) => Assert.Equal(expected, TraitsUpdater.IsSupportedPath(path));

    [Fact]
    public void EmptyCustomAttributeKeyPath_IsUnsupported_AndThrowsLikeEveryUnsupportedPath()
    {
        var values = new ProfileTraits { CustomAttributes = new Dictionary<string, string> { [""] = "x" } };
        Assert.False(TraitsUpdater.IsSupportedPath("custom_attributes."));
        Assert.Throws<ArgumentException>(() => Apply(Current, values, "custom_attributes."));
    }

    [Fact]
    public void SupportedPaths_AllApplyWithoutThrowing()
    {
        foreach (var path in TraitsUpdater.SupportedPaths)
        {
            _ = Apply(Current, Incoming, path);
        }
    }
}
