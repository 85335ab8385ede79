using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class IdentifyTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    [Fact]
    public async Task New_identifiers_create_a_customer()
    {
        var email = Email("new");
        var loyalty = Loyalty();

        var response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email, loyalty } });

        Assert.True(response.Created);
        Assert.False(string.IsNullOrWhiteSpace(response.CustomerId));
        Assert.Empty(response.Conflicts);
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(response.CustomerId) });
        Assert.Equal(response.CustomerId, profile.CustomerId);
        Assert.Contains(profile.Identifiers, i => i.Type == IdentifierType.Email && i.Value == email.Value);
        Assert.Contains(profile.Identifiers, i => i.Type == IdentifierType.LoyaltyId && i.Value == loyalty.Value);
        Assert.NotNull(profile.CreatedAt);
    }

    [Fact]
    public async Task The_same_identifiers_in_other_formats_resolve_to_the_same_customer()
    {
        var local = $"Ana.Lima.{Guid.NewGuid():N}";
        var phone = FrenchMobile();
        var first = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { Id(IdentifierType.Email, $"{local}@Client-Mail.FR"), Phone(phone.National) },
        });
        Assert.True(first.Created);

        var again = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { Id(IdentifierType.Email, $"  {local.ToUpperInvariant()}@client-mail.fr  "), Phone(phone.International) },
        });
        var byEmailOnly = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, $"{local.ToLowerInvariant()}@CLIENT-MAIL.fr") } });
        var byPhoneOnly = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Phone("0033" + phone.E164[3..]) } });

        Assert.Equal(first.CustomerId, again.CustomerId);
        Assert.False(again.Created);
        Assert.Empty(again.Conflicts);
        Assert.Equal(first.CustomerId, byEmailOnly.CustomerId);
        Assert.False(byEmailOnly.Created);
        Assert.Equal(first.CustomerId, byPhoneOnly.CustomerId);
        Assert.False(byPhoneOnly.Created);

        // Stored once, in canonical form.
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(first.CustomerId) });
        Assert.Equal(2, profile.Identifiers.Count);
        Assert.Contains(profile.Identifiers, i => i.Type == IdentifierType.Email && i.Value == $"{local.ToLowerInvariant()}@client-mail.fr");
        Assert.Contains(profile.Identifiers, i => i.Type == IdentifierType.Phone && i.Value == phone.E164);
    }

    [Fact]
    public async Task A_new_identifier_sent_with_a_known_one_is_linked_to_that_customer()
    {
        var email = Email("link");
        var known = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });
        var loyalty = Loyalty();
        var anonymous = Anonymous();

        var linked = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { anonymous, email, loyalty } });

        Assert.Equal(known.CustomerId, linked.CustomerId);
        Assert.False(linked.Created);
        Assert.Empty(linked.Conflicts);
        var byLoyalty = await Client.LookupAsync(new LookupRequest { Identifier = loyalty });
        Assert.Equal(known.CustomerId, byLoyalty.CustomerId);
        Assert.Equal(loyalty.Value, byLoyalty.LoyaltyId);
        var byAnonymous = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(anonymous) });
        Assert.Equal(known.CustomerId, byAnonymous.CustomerId);
        Assert.Equal(3, byAnonymous.Identifiers.Count);
    }

    [Fact]
    public async Task Traits_are_applied_and_custom_attributes_merge_per_key()
    {
        var email = Email("traits");
        var decided = Now().AddHours(-1);
        var first = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = "Ana", FamilyName = "Lima", Title = "Dr" },
                Locale = "fr-FR",
                BirthDate = new Date { Year = 1988, Month = 2, Day = 29 },
                Gender = Gender.Female,
                LoyaltyTier = "gold",
                Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, decided) },
                CustomAttributes = { ["favourite_colour"] = "blue", ["shoe_brand"] = "acme" },
                Addresses = { new PostalAddress { Label = "home", Lines = { "1 rue de la Paix" }, PostalCode = "75002", City = "Paris", CountryCode = "FR" } },
            },
        });

        var second = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits
            {
                // Only the set fields are applied: the family name, locale, consents... stay as they are.
                Name = new PersonName { Nickname = "Aninha" },
                CustomAttributes = { ["shoe_brand"] = "zeta", ["newsletter_topic"] = "running" },
            },
        });

        Assert.Equal(first.CustomerId, second.CustomerId);
        var traits = (await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(first.CustomerId) })).Traits;
        Assert.Equal("Ana", traits.Name.GivenName);
        Assert.Equal("Lima", traits.Name.FamilyName);
        Assert.Equal("Dr", traits.Name.Title);
        Assert.Equal("Aninha", traits.Name.Nickname);
        Assert.Equal("fr-FR", traits.Locale);
        Assert.Equal(new Date { Year = 1988, Month = 2, Day = 29 }, traits.BirthDate);
        Assert.Equal(Gender.Female, traits.Gender);
        Assert.Equal("gold", traits.LoyaltyTier);
        var consent = Assert.Single(traits.Consents);
        Assert.Equal(ContactChannel.Email, consent.Channel);
        Assert.Equal(ConsentStatus.Granted, consent.Status);
        Assert.Equal(Ts(decided), consent.DecidedAt);
        Assert.Equal("web-signup", consent.Source);
        Assert.Equal(
            new Dictionary<string, string> { ["favourite_colour"] = "blue", ["shoe_brand"] = "zeta", ["newsletter_topic"] = "running" },
            traits.CustomAttributes.ToDictionary());
        var address = Assert.Single(traits.Addresses);
        Assert.Equal("Paris", address.City);
        Assert.Equal(["1 rue de la Paix"], address.Lines);
    }

    [Fact]
    public async Task An_identifier_that_keeps_pulling_customers_together_is_quarantined()
    {
        // A shop's own phone number typed on every customer's form: after 5 merges in 24 h it stops merging anyone.
        var shared = Phone(FrenchMobile().International);
        var first = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("shared-0"), shared } });
        var responses = new List<IdentifyResponse>();
        for (var i = 1; i <= 6; i++)
        {
            // Emails and phones in turn, so that no merged customer goes over a per-type limit.
            var own = i % 2 == 1 ? Email($"shared-{i}") : Phone(FrenchMobile().International);
            await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { own } });
            responses.Add(await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { own, shared } }));
        }

        Assert.All(responses.Take(5), r => Assert.Single(r.MergedCustomerIds));
        var refused = responses[5];
        Assert.Empty(refused.MergedCustomerIds);
        var conflict = Assert.Single(refused.Conflicts);
        Assert.StartsWith("quarantined", conflict.Reason, StringComparison.Ordinal);
        Assert.Equal(first.CustomerId, conflict.OwnerCustomerId);
        Assert.NotEqual(first.CustomerId, refused.CustomerId);
    }

    [Fact]
    public async Task A_quarantine_is_explained_listed_and_released_by_an_operator_and_the_release_is_in_the_history()
    {
        var shared = Phone(FrenchMobile().International);
        await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("counter-0"), shared } });
        for (var i = 1; i <= 6; i++)
        {
            var own = i % 2 == 1 ? Email($"counter-{i}") : Phone(FrenchMobile().International);
            await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { own } });
            await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { own, shared } });
        }

        var explained = await Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = shared });
        Assert.NotNull(explained.Quarantine);
        Assert.Equal(TimeSpan.FromDays(7), explained.Quarantine.Until.ToDateTimeOffset() - explained.Quarantine.Since.ToDateTimeOffset());
        Assert.StartsWith("it already triggered 5 merges", explained.Quarantine.Reason, StringComparison.Ordinal);

        var listed = (await Client.ListQuarantinedIdentifiersAsync(new ListQuarantinedIdentifiersRequest { Max = 1000 })).Identifiers
            .Single(q => q.CustomerId == explained.CustomerId);
        Assert.Equal(explained.Quarantine, listed.Quarantine);
        Assert.Matches("^[0-9a-f]{32}$", listed.IdentifierKey);

        await RpcAssert.InvalidArgument(() => Client.ReleaseQuarantineAsync(new ReleaseQuarantineRequest { IdentifierKey = listed.IdentifierKey }).ResponseAsync, "reason");
        await RpcAssert.InvalidArgument(() => Client.ReleaseQuarantineAsync(new ReleaseQuarantineRequest { IdentifierKey = "not-a-key", Reason = "x" }).ResponseAsync, "identifier_key");
        await RpcAssert.InvalidArgument(() => Client.ReleaseQuarantineAsync(new ReleaseQuarantineRequest { Reason = "x" }).ResponseAsync, "target");
        await RpcAssert.InvalidArgument(() => Client.ListQuarantinedIdentifiersAsync(new ListQuarantinedIdentifiersRequest { Max = 5000 }).ResponseAsync, "max");

        var released = await Client.ReleaseQuarantineAsync(new ReleaseQuarantineRequest { IdentifierKey = listed.IdentifierKey, Reason = "the shop's own phone, removed from the forms" });
        Assert.Null(released.Quarantine);
        Assert.Null(released.Identifier); // named by key: the identity map holds no value to show
        Assert.Equal("quarantine released: the shop's own phone, removed from the forms", released.History[^1].Reason);
        Assert.DoesNotContain((await Client.ListQuarantinedIdentifiersAsync(new ListQuarantinedIdentifiersRequest())).Identifiers, q => q.IdentifierKey == listed.IdentifierKey);
        Assert.Equal(explained.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = shared })).CustomerId);

        // Its merge budget starts afresh.
        var another = Email("counter-7");
        await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { another } });
        var merged = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { another, shared } });
        Assert.Single(merged.MergedCustomerIds);
        Assert.Empty(merged.Conflicts);
    }

    [Fact]
    public async Task A_customer_signing_in_from_many_anonymous_sessions_is_merged_each_time_and_never_quarantined()
    {
        var email = Email("loyal");
        var customer = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email } })).CustomerId;
        var sessions = Enumerable.Range(0, 12).Select(_ => Anonymous()).ToList();
        foreach (var session in sessions)
        {
            // Browses anonymously, then signs in: far beyond the 5 merges a day that quarantine a shared identifier.
            await Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, session) });
            var login = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { session, email } });
            Assert.Equal(customer, login.CustomerId);
            Assert.Single(login.MergedCustomerIds);
            Assert.Empty(login.Conflicts);
        }

        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });
        Assert.Equal(sessions.Count + 1, profile.Identifiers.Count);
        Assert.Equal(sessions.Count, profile.Counters.Single(c => c.EventType == EventType.PageView).Windows.Single(w => w.Window == CounterWindow.Lifetime).Count);
        foreach (var session in sessions)
        {
            Assert.Equal(customer, (await Client.LookupAsync(new LookupRequest { Identifier = session })).CustomerId);
        }

        // The email still merges what it should: a second known record of the same person.
        var phone = Phone(FrenchMobile().International);
        var other = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { phone } });
        var both = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email, phone } });
        Assert.Equal([other.CustomerId], both.MergedCustomerIds);
    }

    [Fact]
    public async Task A_browser_shared_by_two_known_people_merges_neither_into_the_other()
    {
        var device = Anonymous();
        var bobsEmail = Email("bob-tablet");
        var alice = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("alice-tablet"), device } });
        var bob = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { bobsEmail } });

        var bobOnAlicesTablet = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { bobsEmail, device } });

        Assert.Equal(bob.CustomerId, bobOnAlicesTablet.CustomerId);
        Assert.Empty(bobOnAlicesTablet.MergedCustomerIds);
        var conflict = Assert.Single(bobOnAlicesTablet.Conflicts);
        Assert.Equal(IdentifierType.AnonymousId, conflict.Identifier.Type);
        Assert.Equal(alice.CustomerId, conflict.OwnerCustomerId);
        Assert.StartsWith("not linked: this anonymous id belongs to another known customer", conflict.Reason, StringComparison.Ordinal);
        Assert.Equal(alice.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = device })).CustomerId);
    }

    [Fact]
    public async Task Explaining_an_unknown_or_malformed_identifier_is_refused()
    {
        await RpcAssert.NotFound(() => Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = Email("never-seen") }).ResponseAsync);
        await RpcAssert.InvalidArgument(
            () => Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = Id(IdentifierType.Email, "not-an-email") }).ResponseAsync,
            "identifier.value");
        await RpcAssert.InvalidArgument(() => Client.ExplainIdentityAsync(new ExplainIdentityRequest()).ResponseAsync, "identifier");
    }

    [Fact]
    public async Task Identifiers_owned_by_two_customers_merge_them_into_the_older_one()
    {
        var emailOfA = Email("owner-a");
        var phoneOfB = FrenchMobile();
        var a = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { emailOfA }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Alice" } } });
        var b = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Phone(phoneOfB.National) }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Alicia", FamilyName = "Martin" } } });
        Assert.NotEqual(a.CustomerId, b.CustomerId);

        var beforeMerge = DateTimeOffset.UtcNow.AddSeconds(-1);
        var both = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Phone(phoneOfB.International), emailOfA } });

        // The older record (created first: customer ids are time-ordered) survives; the other forwards to it.
        Assert.False(both.Created);
        Assert.Equal(a.CustomerId, both.CustomerId);
        Assert.Equal([b.CustomerId], both.MergedCustomerIds);
        Assert.Empty(both.Conflicts);
        var merged = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(b.CustomerId) });
        Assert.Equal(a.CustomerId, merged.CustomerId);

        // The reader asked for B and is told it now reads A, and since when; asking for A says nothing of the kind.
        Assert.Equal(b.CustomerId, merged.MergedAway.CustomerId);
        Assert.InRange(merged.MergedAway.MergedAt.ToDateTimeOffset(), beforeMerge, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null((await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(a.CustomerId) })).MergedAway);
        var updated = await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ById(b.CustomerId),
            Traits = new ProfileTraits { Locale = "fr-FR" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "locale" } },
        });
        Assert.Equal(a.CustomerId, updated.CustomerId);
        Assert.Equal(b.CustomerId, updated.MergedAway.CustomerId);
        Assert.Equal([IdentifierType.Email, IdentifierType.Phone], merged.Identifiers.Select(i => i.Type).Order());
        Assert.Equal("Alicia", merged.Traits.Name.GivenName); // most recently updated record wins per field
        Assert.Equal("Martin", merged.Traits.Name.FamilyName);
        Assert.Equal(a.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = emailOfA })).CustomerId);
        Assert.Equal(a.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = Phone(phoneOfB.National) })).CustomerId);

        var explanation = await Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = Phone(phoneOfB.National) });
        Assert.Equal(a.CustomerId, explanation.CustomerId);
        Assert.Equal([b.CustomerId, a.CustomerId], explanation.History.Select(h => h.CustomerId));
        var record = Assert.Single(explanation.Merges);
        Assert.Equal(b.CustomerId, record.AbsorbedCustomerId);
        Assert.Equal("oldest-customer-survives", record.Rule);
    }

    [Theory]
    [InlineData("no-identifiers", "identifiers")]
    [InlineData("21-identifiers", "identifiers")]
    public async Task Bad_input_is_rejected_with_the_field_path_and_creates_nothing(string scenario, string field)
    {
        var request = new IdentifyRequest();
        Identifier[] valid = scenario switch
        {
            "no-identifiers" => [],
            "21-identifiers" => [.. Enumerable.Range(0, 21).Select(_ => Loyalty())],
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };
        request.Traits = new ProfileTraits { Name = new PersonName { GivenName = "Nobody" } };
        request.Identifiers.Add(valid);

        await RpcAssert.InvalidArgument(() => Client.IdentifyAsync(request).ResponseAsync, field);

        // The request was refused as a whole: not even the valid identifiers got a customer.
        foreach (var identifier in valid)
        {
            await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = identifier }).ResponseAsync);
        }
    }

    [Theory]
    [InlineData("bad-locale", "traits.locale", "locale")]
    [InlineData("bad-birth-date", "traits.birth_date", "birth_date")]
    [InlineData("future-birth-date", "traits.birth_date", "birth_date")]
    [InlineData("consent-unspecified-channel", "traits.consents[0].channel", "consents")]
    [InlineData("consent-without-date", "traits.consents[0].decided_at", "consents")]
    [InlineData("two-consents-same-channel", "traits.consents", "consents")]
    [InlineData("bad-country-code", "traits.addresses[0].country_code", "addresses")]
    [InlineData("control-char-in-name", "traits.name.given_name", "name.given_name")]
    [InlineData("51-custom-attributes", "traits.custom_attributes", "custom_attributes.k0")]
    [InlineData("lowercase-revenue-currency", "traits.company.annual_revenue.currency_code", "company")]
    public async Task A_malformed_trait_is_rejected_alone_and_the_rest_of_the_signup_is_kept(string scenario, string field, string path)
    {
        var loyalty = Loyalty();
        var traits = BadTraits(scenario);
        traits.Occupation = "pilot";

        var response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { loyalty }, Traits = traits });

        Assert.True(response.Created);
        Assert.Contains(response.RejectedTraits, r => r.Field == field && r.Path == path && r.Reason.Length > 0);
        Assert.DoesNotContain(response.RejectedTraits, r => r.Path == "occupation");
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(loyalty) });
        Assert.Equal(response.CustomerId, profile.CustomerId);
        Assert.Equal("pilot", profile.Traits.Occupation);
        // The rejected trait was not applied, not even in part.
        var t = profile.Traits;
        Assert.True(path switch
        {
            "locale" => t.Locale.Length == 0,
            "birth_date" => t.BirthDate is null,
            "consents" => t.Consents.All(c => c.Status == ConsentStatus.Unknown),
            "addresses" => t.Addresses.Count == 0,
            "name.given_name" => t.Name is null || t.Name.GivenName.Length == 0,
            "company" => t.Company is null,
            _ => t.CustomAttributes.Count == 0,
        }, $"{path} was applied: {t}");

        // With no usable identifier the request fails, naming the identifier's and the trait's problems.
        await RpcAssert.InvalidArgument(
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Phone("06 12 ab") }, Traits = BadTraits(scenario) }).ResponseAsync,
            "identifiers[0].value", field);
    }

    private static ProfileTraits BadTraits(string scenario)
    {
        switch (scenario)
        {
            case "bad-locale":
                return new ProfileTraits { Locale = "not a locale" };
            case "bad-birth-date":
                return new ProfileTraits { BirthDate = new Date { Year = 2023, Month = 2, Day = 30 } };
            case "future-birth-date":
                return new ProfileTraits { BirthDate = new Date { Year = DateTime.UtcNow.Year + 1, Month = 1, Day = 1 } };
            case "consent-unspecified-channel":
                return new ProfileTraits { Consents = { Consent(ContactChannel.Unspecified, ConsentStatus.Granted, Now()) } };
            case "consent-without-date":
                return new ProfileTraits { Consents = { new Consent { Channel = ContactChannel.Sms, Status = ConsentStatus.Granted } } };
            case "two-consents-same-channel":
                return new ProfileTraits
                {
                    Consents = { Consent(ContactChannel.Sms, ConsentStatus.Granted, Now()), Consent(ContactChannel.Sms, ConsentStatus.Denied, Now()) },
                };
            case "bad-country-code":
                return new ProfileTraits { Addresses = { new PostalAddress { Lines = { "1 rue" }, City = "Paris", CountryCode = "fra" } } };
            case "control-char-in-name":
                return new ProfileTraits { Name = new PersonName { GivenName = "An\u0007a" } };
            case "51-custom-attributes":
                var traits = new ProfileTraits();
                traits.CustomAttributes.Add(Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => $"v{i}"));
                return traits;
            case "lowercase-revenue-currency":
                return new ProfileTraits { Company = new Company { Name = "Acme", AnnualRevenue = Money(1000m, "eur") } };
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }
    }

    [Fact]
    public async Task A_malformed_identifier_is_rejected_alone_and_the_usable_ones_still_identify_the_customer()
    {
        var email = Email("partial");
        var response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email, Phone("06 12 ab"), Id(IdentifierType.Email, "test@test.com") } });

        Assert.True(response.Created);
        Assert.Equal(response.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = email })).CustomerId);
        Assert.Collection(
            response.IdentifierOutcomes,
            linked =>
            {
                Assert.Equal(IdentifierOutcome.Types.Outcome.Linked, linked.Outcome);
                Assert.Equal(email.Value, linked.Identifier.Value);
            },
            rejected =>
            {
                Assert.Equal(IdentifierOutcome.Types.Outcome.Rejected, rejected.Outcome);
                Assert.Equal("identifiers[1].value", rejected.Field);
                Assert.Equal("06 12 ab", rejected.Identifier.Value);
                Assert.False(string.IsNullOrEmpty(rejected.Reason));
            },
            blocked =>
            {
                Assert.Equal(IdentifierOutcome.Types.Outcome.NotLinked, blocked.Outcome);
                Assert.StartsWith("blocked", blocked.Reason, StringComparison.Ordinal);
            });

        // Nothing usable: the request fails, naming each identifier's problem.
        await RpcAssert.InvalidArgument(
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Phone("06 12 ab"), Id(IdentifierType.Email, "nope") } }).ResponseAsync,
            "identifiers[0].value", "identifiers[1].value");
    }

    [Theory]
    [InlineData("unspecified-type", "identifiers[0].type")]
    [InlineData("invalid-email", "identifiers[0].value")]
    [InlineData("email-with-two-ats", "identifiers[0].value")]
    [InlineData("empty-value", "identifiers[0].value")]
    [InlineData("invalid-phone", "identifiers[0].value")]
    [InlineData("loyalty-with-spaces", "identifiers[0].value")]
    [InlineData("too-long-loyalty", "identifiers[0].value")]
    public async Task A_malformed_identifier_is_rejected_with_its_field_path_and_alone_refuses_the_request(string scenario, string field)
    {
        var malformed = scenario switch
        {
            "unspecified-type" => new Identifier { Value = "someone@example.com" },
            "invalid-email" => Id(IdentifierType.Email, "not-an-email"),
            "email-with-two-ats" => Id(IdentifierType.Email, "a@b@example.com"),
            "empty-value" => Id(IdentifierType.CrmId, "   "),
            "invalid-phone" => Phone("12"),
            "loyalty-with-spaces" => Id(IdentifierType.LoyaltyId, "LOY 123"),
            "too-long-loyalty" => Id(IdentifierType.LoyaltyId, new string('L', 129)),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };

        await RpcAssert.InvalidArgumentOnlyOn(() => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { malformed } }).ResponseAsync, field);

        var loyalty = Loyalty();
        var beside = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { malformed, loyalty } });
        var rejected = beside.IdentifierOutcomes[0];
        Assert.Equal(IdentifierOutcome.Types.Outcome.Rejected, rejected.Outcome);
        Assert.Equal(field, rejected.Field);
        Assert.Equal(IdentifierOutcome.Types.Outcome.Linked, beside.IdentifierOutcomes[1].Outcome);
        Assert.Equal(beside.CustomerId, (await Client.LookupAsync(new LookupRequest { Identifier = loyalty })).CustomerId);
    }

    [Fact]
    public async Task Every_problem_of_a_request_is_reported_at_once()
    {
        var badTraits = new ProfileTraits { Locale = "??", BirthDate = new Date { Year = 2023, Month = 2, Day = 30 } };

        // No usable identifier: the request fails, and the malformed traits are reported with the identifiers.
        await RpcAssert.InvalidArgument(
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, "nope"), Phone("abc") }, Traits = badTraits }).ResponseAsync,
            "identifiers[0].value", "identifiers[1].value", "traits.locale", "traits.birth_date");

        // With one usable identifier, every problem comes back in the answer instead.
        var response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, "nope"), Loyalty(), Phone("abc") }, Traits = badTraits });
        Assert.Equal(
            [IdentifierOutcome.Types.Outcome.Rejected, IdentifierOutcome.Types.Outcome.Linked, IdentifierOutcome.Types.Outcome.Rejected],
            response.IdentifierOutcomes.Select(o => o.Outcome));
        Assert.Equal(["traits.birth_date", "traits.locale"], response.RejectedTraits.Select(r => r.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Exceeding_the_custom_attribute_limit_in_total_is_refused_without_linking_the_new_identifier()
    {
        var email = Email("limit");
        var existing = new ProfileTraits();
        existing.CustomAttributes.Add(Enumerable.Range(0, 40).ToDictionary(i => $"old{i}", i => "x"));
        var customer = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = existing });
        var before = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customer.CustomerId) });
        var newLoyalty = Loyalty();
        var more = new ProfileTraits { Name = new PersonName { GivenName = "Never" } };
        more.CustomAttributes.Add(Enumerable.Range(0, 11).ToDictionary(i => $"new{i}", i => "y"));

        await RpcAssert.InvalidArgument(
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email, newLoyalty }, Traits = more }).ResponseAsync,
            "traits.custom_attributes");

        var after = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customer.CustomerId) });
        Assert.Equal(40, after.Traits.CustomAttributes.Count);
        Assert.Equal(string.Empty, after.Traits.Name.GivenName);
        // A refused request must not have changed anything: the new identifier is not linked.
        Assert.Equal(before.Identifiers, after.Identifiers);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = newLoyalty }).ResponseAsync);
    }

    [Fact]
    public async Task An_identifier_beyond_the_per_customer_limit_is_not_silently_half_linked()
    {
        var anchor = Email("full");
        var customerId = (await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { anchor } })).CustomerId;
        for (var round = 0; round < 3; round++)
        {
            var fill = new IdentifyRequest { Identifiers = { anchor } };
            fill.Identifiers.Add(Enumerable.Range(0, round < 2 ? 19 : 11).Select(_ => Id(IdentifierType.AnonymousId, $"device-{Guid.NewGuid():N}")));
            await Client.IdentifyAsync(fill);
        }

        Assert.Equal(50, (await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) })).Identifiers.Count);
        var extra = Id(IdentifierType.AnonymousId, $"device-{Guid.NewGuid():N}");

        IdentifyResponse? response = null;
        try
        {
            response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { anchor, extra } });
        }
        catch (RpcException)
        {
            // Refusing the request outright is one acceptable answer.
        }

        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
        Assert.True(profile.Identifiers.Count <= 50);
        var listed = profile.Identifiers.Any(i => i.Type == IdentifierType.AnonymousId && i.Value == extra.Value);
        if (response is not null && !listed)
        {
            // Not linked: the caller must be told, as for an identifier owned by someone else.
            Assert.Contains(response.Conflicts, c => c.Identifier.Value == extra.Value);
        }

        // Whatever the answer, an identifier resolves to a customer only if that customer's profile lists it.
        if (!listed)
        {
            await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = extra }).ResponseAsync);
        }
    }
}
