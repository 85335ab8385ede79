using Google.Protobuf.WellKnownTypes;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class UpdateProfileTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    private async Task<(string CustomerId, Identifier Email)> NewCustomer(ProfileTraits traits)
    {
        var email = Email("update");
        var response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = traits });
        return (response.CustomerId, email);
    }

    private Task<Profile> Profile(string customerId) => Client.ProfileById(customerId);

    private static FieldMask Mask(params string[] paths) => new() { Paths = { paths } };

    [Fact]
    public async Task Only_the_masked_name_part_changes()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Name = new PersonName { GivenName = "Ana", FamilyName = "Lima" }, Occupation = "pilot" });

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            // The family name and occupation carry values but are not in the mask: they must be ignored.
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "Anna", FamilyName = "Other" }, Occupation = "cook" },
            UpdateMask = Mask("name.given_name"),
        });

        Assert.Equal(customerId, updated.CustomerId);
        Assert.Equal("Anna", updated.Traits.Name.GivenName);
        Assert.Equal("Lima", updated.Traits.Name.FamilyName);
        Assert.Equal("pilot", updated.Traits.Occupation);
        Assert.Equal(updated.Traits, (await Profile(customerId)).Traits);
    }

    [Fact]
    public async Task A_masked_field_left_empty_is_cleared()
    {
        var (customerId, email) = await NewCustomer(new ProfileTraits
        {
            Name = new PersonName { GivenName = "Ana", FamilyName = "Lima" },
            Locale = "pt-BR",
            BirthDate = new Date { Year = 1990, Month = 5, Day = 17 },
            LoyaltyTier = "silver",
        });

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ByIdentifier(email),
            Traits = new ProfileTraits(),
            UpdateMask = Mask("name.family_name", "locale", "birth_date"),
        });

        Assert.Equal("Ana", updated.Traits.Name.GivenName);
        Assert.Equal(string.Empty, updated.Traits.Name.FamilyName);
        Assert.Equal(string.Empty, updated.Traits.Locale);
        Assert.Null(updated.Traits.BirthDate);
        Assert.Equal("silver", updated.Traits.LoyaltyTier);
        Assert.Equal(updated.Traits, (await Profile(customerId)).Traits);
    }

    [Fact]
    public async Task Masking_a_whole_message_replaces_it()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Name = new PersonName { GivenName = "Ana", FamilyName = "Lima", Title = "Dr" } });

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "Bea" } },
            UpdateMask = Mask("name"),
        });

        Assert.Equal(new PersonName { GivenName = "Bea" }, updated.Traits.Name);
    }

    [Fact]
    public async Task Consents_merge_per_channel_and_an_older_decision_does_not_override_a_newer_one()
    {
        var granted = Now().AddHours(-1);
        var (customerId, _) = await NewCustomer(new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, granted, "web-signup") } });

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits
            {
                Consents =
                {
                    Consent(ContactChannel.Email, ConsentStatus.Denied, granted.AddDays(-1), "old-paper-form"),
                    Consent(ContactChannel.Sms, ConsentStatus.Granted, granted, "store-0042"),
                },
            },
            UpdateMask = Mask("consents"),
        });

        Assert.Equal(2, updated.Traits.Consents.Count);
        var email = Assert.Single(updated.Traits.Consents, c => c.Channel == ContactChannel.Email);
        Assert.Equal(ConsentStatus.Granted, email.Status);
        Assert.Equal("web-signup", email.Source);
        Assert.Equal(Ts(granted), email.DecidedAt);
        Assert.Equal(ConsentStatus.Granted, Assert.Single(updated.Traits.Consents, c => c.Channel == ContactChannel.Sms).Status);

        var newer = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Denied, granted.AddMinutes(30), "unsubscribe-link") } },
            UpdateMask = Mask("consents"),
        });

        var latest = Assert.Single(newer.Traits.Consents, c => c.Channel == ContactChannel.Email);
        Assert.Equal(ConsentStatus.Denied, latest.Status);
        Assert.Equal("unsubscribe-link", latest.Source);
        Assert.Equal(ConsentStatus.Granted, Assert.Single(newer.Traits.Consents, c => c.Channel == ContactChannel.Sms).Status);
    }

    [Fact]
    public async Task Custom_attribute_paths_set_and_remove_single_keys()
    {
        var initial = new ProfileTraits { CustomAttributes = { ["a"] = "1", ["b"] = "2", ["keep"] = "k" } };
        var (customerId, _) = await NewCustomer(initial);

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits { CustomAttributes = { ["b"] = "22", ["new"] = "n", ["unmasked"] = "ignored" } },
            UpdateMask = Mask("custom_attributes.b", "custom_attributes.new", "custom_attributes.a"),
        });

        Assert.Equal(new Dictionary<string, string> { ["b"] = "22", ["new"] = "n", ["keep"] = "k" }, updated.Traits.CustomAttributes.ToDictionary());
        Assert.Equal(updated.Traits.CustomAttributes, (await Profile(customerId)).Traits.CustomAttributes);
    }

    [Fact]
    public async Task The_whole_custom_attributes_map_can_be_replaced()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { CustomAttributes = { ["a"] = "1", ["b"] = "2" } });

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits { CustomAttributes = { ["c"] = "3" } },
            UpdateMask = Mask("custom_attributes"),
        });

        Assert.Equal(new Dictionary<string, string> { ["c"] = "3" }, updated.Traits.CustomAttributes.ToDictionary());
    }

    [Fact]
    public async Task Preferences_and_company_are_updatable()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Name = new PersonName { GivenName = "Pat" } });

        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(customerId),
            Traits = new ProfileTraits
            {
                Preferences = new Preferences { Interests = { "running", "running", "cycling" }, Sizes = { ["shoes"] = "42" } },
                Company = new Company { Name = "Acme", Employees = 12, AnnualRevenue = Money(1_500_000m) },
                Gender = Gender.NonBinary,
            },
            UpdateMask = Mask("preferences.interests", "preferences.sizes", "company", "gender"),
        });

        Assert.Equal(["running", "cycling"], updated.Traits.Preferences.Interests);
        Assert.Equal("42", updated.Traits.Preferences.Sizes["shoes"]);
        Assert.Equal("Acme", updated.Traits.Company.Name);
        Assert.Equal(12, updated.Traits.Company.Employees);
        Assert.Equal(1_500_000m, Amount(updated.Traits.Company.AnnualRevenue));
        Assert.Equal(Gender.NonBinary, updated.Traits.Gender);
        Assert.Equal("Pat", updated.Traits.Name.GivenName);
    }

    [Fact]
    public async Task An_empty_mask_is_rejected()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Name = new PersonName { GivenName = "Ana" } });
        var before = await Profile(customerId);

        await RpcAssert.InvalidArgumentOnlyOn(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById(customerId), Traits = new ProfileTraits { Name = new PersonName { GivenName = "X" } } }).ResponseAsync,
            "update_mask");
        await RpcAssert.InvalidArgumentOnlyOn(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById(customerId), UpdateMask = new FieldMask() }).ResponseAsync,
            "update_mask");

        Assert.Equal(before, await Profile(customerId));
    }

    [Theory]
    [InlineData("name.foo")]
    [InlineData("customer_id")]
    [InlineData("custom_attributes.")]
    [InlineData("Name")]
    [InlineData("traits.name")]
    public async Task An_unknown_mask_path_is_rejected(string path)
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Name = new PersonName { GivenName = "Ana" } });
        var before = await Profile(customerId);

        await RpcAssert.InvalidArgumentOnlyOn(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest
            {
                Customer = ById(customerId),
                Traits = new ProfileTraits { Name = new PersonName { GivenName = "X" } },
                UpdateMask = Mask(path),
            }).ResponseAsync,
            "update_mask.paths[0]");

        Assert.Equal(before, await Profile(customerId));
    }

    [Fact]
    public async Task A_mask_with_one_unknown_path_applies_nothing()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Name = new PersonName { GivenName = "Ana" } });
        var before = await Profile(customerId);

        var violations = await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest
            {
                Customer = ById(customerId),
                Traits = new ProfileTraits { Name = new PersonName { GivenName = "X" } },
                UpdateMask = Mask("name.given_name", "shoe_size"),
            }).ResponseAsync,
            "update_mask.paths[1]");

        Assert.DoesNotContain(violations, v => v.Field == "update_mask.paths[0]");
        Assert.Equal(before, await Profile(customerId));
    }

    [Fact]
    public async Task An_unknown_customer_is_not_found()
    {
        var request = new UpdateProfileRequest
        {
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "X" } },
            UpdateMask = Mask("name.given_name"),
        };

        request.Customer = ById(Guid.NewGuid().ToString("N"));
        await RpcAssert.NotFound(() => Client.UpdateProfileAsync(request).ResponseAsync);

        var email = Email("nobody");
        request.Customer = ByIdentifier(email);
        await RpcAssert.NotFound(() => Client.UpdateProfileAsync(request).ResponseAsync);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = email }).ResponseAsync);
    }

    [Fact]
    public async Task Bad_references_and_bad_values_are_rejected()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits { Locale = "fr-FR" });
        var before = await Profile(customerId);

        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById("../x"), UpdateMask = Mask("locale") }).ResponseAsync,
            "customer.customer_id");
        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { UpdateMask = Mask("locale") }).ResponseAsync,
            "customer");
        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById(customerId), Traits = new ProfileTraits { Locale = "xx_YY!" }, UpdateMask = Mask("locale") }).ResponseAsync,
            "traits.locale");
        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest
            {
                Customer = ById(customerId),
                Traits = new ProfileTraits { BirthDate = new Date { Year = 2023, Month = 2, Day = 30 } },
                UpdateMask = Mask("birth_date"),
            }).ResponseAsync,
            "traits.birth_date");
        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest
            {
                Customer = ById(customerId),
                Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Unspecified, ConsentStatus.Denied, Now()) } },
                UpdateMask = Mask("consents"),
            }).ResponseAsync,
            "traits.consents[0].channel");

        Assert.Equal(before, await Profile(customerId));
    }

    [Fact]
    public async Task More_than_50_custom_attributes_in_total_are_refused_and_the_profile_is_unchanged()
    {
        var initial = new ProfileTraits();
        initial.CustomAttributes.Add(Enumerable.Range(0, 30).ToDictionary(i => $"old{i}", i => "x"));
        var (customerId, _) = await NewCustomer(initial);
        var before = await Profile(customerId);
        var traits = new ProfileTraits { Name = new PersonName { GivenName = "Never" } };
        traits.CustomAttributes.Add(Enumerable.Range(0, 21).ToDictionary(i => $"new{i}", i => "y"));
        var mask = Mask([.. traits.CustomAttributes.Keys.Select(k => "custom_attributes." + k), "name.given_name"]);

        var violations = await RpcAssert.FailsWith(
            Grpc.Core.StatusCode.InvalidArgument,
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById(customerId), Traits = traits, UpdateMask = mask }).ResponseAsync);

        Assert.Contains(RpcAssert.FieldViolations(violations), v => v.Field.StartsWith("traits", StringComparison.Ordinal));
        Assert.Equal(before, await Profile(customerId));

        // Exactly at the limit is fine.
        traits.CustomAttributes.Remove("new20");
        var atLimit = await Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById(customerId), Traits = traits, UpdateMask = mask });
        Assert.Equal(50, atLimit.Traits.CustomAttributes.Count);
    }

    [Fact]
    public async Task More_than_50_custom_attributes_in_one_request_are_refused()
    {
        var (customerId, _) = await NewCustomer(new ProfileTraits());
        var traits = new ProfileTraits();
        traits.CustomAttributes.Add(Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v"));

        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest { Customer = ById(customerId), Traits = traits, UpdateMask = Mask("custom_attributes") }).ResponseAsync,
            "traits.custom_attributes");

        Assert.Empty((await Profile(customerId)).Traits.CustomAttributes);
    }

    [Fact]
    public async Task A_consent_decided_in_the_future_is_rejected()
    {
        // Accepted, a decision dated 9999 would outrank every real decision: the customer could never opt out again.
        var (customerId, _) = await NewCustomer(new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-1)) } });
        var before = await Profile(customerId);

        await RpcAssert.InvalidArgument(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest
            {
                Customer = ById(customerId),
                Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)) } },
                UpdateMask = Mask("consents"),
            }).ResponseAsync,
            "traits.consents[0].decided_at");

        Assert.Equal(before, await Profile(customerId));
    }
}
