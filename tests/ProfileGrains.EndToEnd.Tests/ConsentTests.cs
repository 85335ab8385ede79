using Google.Protobuf.WellKnownTypes;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>Consent per channel and purpose, with its proof and its history, through real gRPC.</summary>
[Collection(EngineCollection.Name)]
public sealed class ConsentTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private static Consent Decision(ContactChannel channel, ConsentPurpose purpose, ConsentStatus status, DateTimeOffset at, string wording = "", string request = "") => new()
    {
        Channel = channel,
        Purpose = purpose,
        Status = status,
        DecidedAt = Ts(at),
        Source = "web-preferences",
        WordingVersion = wording,
        RequestId = request,
    };

    private static UpdateProfileRequest Consents(Identifier who, params Consent[] decisions) => new()
    {
        Customer = ByIdentifier(who),
        Traits = new ProfileTraits { Consents = { decisions } },
        UpdateMask = new FieldMask { Paths = { "consents" } },
    };

    [Fact]
    public async Task The_retailers_own_purposes_are_decided_kept_and_exported_like_the_others_and_unknown_ones_are_refused()
    {
        var email = Email("own-purpose");
        var start = Now().AddDays(-3);
        Consent Research(ConsentStatus status, DateTimeOffset at) =>
            new() { Channel = ContactChannel.Unspecified, Purpose = ConsentPurpose.Custom, CustomPurpose = "research", Status = status, DecidedAt = Ts(at), Source = "survey-page" };
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits
            {
                Consents =
                {
                    Research(ConsentStatus.Granted, start),
                    new Consent { Channel = ContactChannel.Unspecified, Purpose = ConsentPurpose.Custom, CustomPurpose = "loyalty_programme", Status = ConsentStatus.Granted, DecidedAt = Ts(start) },
                    Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, start),
                },
            },
        });
        await Profiles.UpdateProfileAsync(Consents(email, Research(ConsentStatus.Withdrawn, start.AddDays(1))));

        var profile = await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });
        Assert.Equal(ConsentStatus.Withdrawn, profile.Traits.Consents.Single(c => c.CustomPurpose == "research").Status);
        Assert.Equal(ConsentStatus.Granted, profile.Traits.Consents.Single(c => c.CustomPurpose == "loyalty_programme").Status);
        Assert.Equal(ConsentStatus.Granted, profile.Traits.Consents.Single(c => c.Purpose == ConsentPurpose.Marketing).Status);
        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(email) });
        Assert.Equal([ConsentStatus.Granted, ConsentStatus.Withdrawn], export.ConsentHistory.Where(c => c.CustomPurpose == "research").Select(c => c.Status));

        await RpcAssert.InvalidArgumentOnlyOn(
            () => Profiles.UpdateProfileAsync(Consents(email, new Consent { Purpose = ConsentPurpose.Custom, CustomPurpose = "surveys", Status = ConsentStatus.Granted, DecidedAt = Ts(Now()) })).ResponseAsync,
            "traits.consents[0].custom_purpose");
        await RpcAssert.InvalidArgumentOnlyOn(
            () => Profiles.UpdateProfileAsync(Consents(email, new Consent { Purpose = ConsentPurpose.Custom, Status = ConsentStatus.Granted, DecidedAt = Ts(Now()) })).ResponseAsync,
            "traits.consents[0].custom_purpose");
        await RpcAssert.InvalidArgumentOnlyOn(
            () => Profiles.UpdateProfileAsync(Consents(email, new Consent { Channel = ContactChannel.Email, Purpose = ConsentPurpose.Marketing, CustomPurpose = "research", Status = ConsentStatus.Granted, DecidedAt = Ts(Now()) })).ResponseAsync,
            "traits.consents[0].custom_purpose");
        Assert.Equal(profile.Traits, (await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) })).Traits);
    }

    [Fact]
    public async Task Each_channel_and_purpose_keeps_its_latest_decision_with_its_proof_and_every_decision_stays_in_the_history()
    {
        var email = Email("consent");
        var start = Now().AddDays(-10);
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits
            {
                Consents =
                {
                    Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, start, "newsletter-2026-09", "cmp-0001"),
                    Decision(ContactChannel.Sms, ConsentPurpose.Marketing, ConsentStatus.Denied, start),
                    Decision(ContactChannel.Unspecified, ConsentPurpose.Profiling, ConsentStatus.Granted, start),
                    Decision(ContactChannel.Unspecified, ConsentPurpose.PartnerSharing, ConsentStatus.Denied, start),
                },
            },
        });
        var allowed = await Profiles.CanContactAsync(new CanContactRequest { Identifier = email, Channel = ContactChannel.Email });

        await Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Withdrawn, start.AddDays(5), "preferences-v2", "cmp-0002")));
        // A late-arriving older decision is kept as proof but changes nothing.
        await Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, start.AddDays(1), "newsletter-2026-09", "cmp-late")));

        var profile = await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });
        var stopped = await Profiles.CanContactAsync(new CanContactRequest { Identifier = email, Channel = ContactChannel.Email });
        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(email) });

        Assert.Equal(4, profile.Traits.Consents.Count);
        var emailMarketing = profile.Traits.Consents.Single(c => c.Channel == ContactChannel.Email);
        Assert.Equal((ConsentStatus.Withdrawn, "preferences-v2", "cmp-0002"), (emailMarketing.Status, emailMarketing.WordingVersion, emailMarketing.RequestId));
        Assert.Contains(profile.Traits.Consents, c => c is { Channel: ContactChannel.Unspecified, Purpose: ConsentPurpose.Profiling, Status: ConsentStatus.Granted });
        Assert.True(allowed.Allowed);
        Assert.Equal("cmp-0001", allowed.ConsentRecord.RequestId);
        Assert.False(stopped.Allowed);
        Assert.Contains("withdrew", stopped.Reason, StringComparison.Ordinal);
        Assert.Equal("cmp-0002", stopped.ConsentRecord.RequestId);
        Assert.Equal(6, export.ConsentHistory.Count);
        Assert.Equal(["cmp-0001", "cmp-late", "cmp-0002"], export.ConsentHistory.Where(c => c.Channel == ContactChannel.Email).Select(c => c.RequestId));
        Assert.True(export.ConsentHistory.Zip(export.ConsentHistory.Skip(1)).All(p => p.First.DecidedAt.ToDateTimeOffset() <= p.Second.DecidedAt.ToDateTimeOffset()));
    }

    [Fact]
    public async Task CanContact_applies_the_rule_of_the_customers_audience_and_names_it()
    {
        var (consumer, business) = (Email("rule-consumer"), Email("rule-business"));
        var (consumerPhone, businessPhone) = (FrenchMobile().International, FrenchMobile().International);
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { consumer, Phone(consumerPhone) } });
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { business, Phone(businessPhone) },
            Traits = new ProfileTraits { Company = new Company { Name = "Boulangerie Martin", LegalForm = "SARL" } },
        });

        var toConsumer = await Profiles.CanContactAsync(new CanContactRequest { Identifier = consumer, Channel = ContactChannel.Phone });
        var toBusiness = await Profiles.CanContactAsync(new CanContactRequest { Identifier = business, Channel = ContactChannel.Phone });
        var emailToBusiness = await Profiles.CanContactAsync(new CanContactRequest { Identifier = business, Channel = ContactChannel.Email });

        Assert.Equal((false, "consumer, phone: opt-in"), (toConsumer.Allowed, toConsumer.Rule));
        Assert.Equal((true, "business contact, phone: opt-out"), (toBusiness.Allowed, toBusiness.Rule));
        Assert.Null(toBusiness.ConsentRecord);
        Assert.Equal((false, "business contact, email: opt-in"), (emailToBusiness.Allowed, emailToBusiness.Rule));
    }

    [Fact]
    public async Task Opt_out_phone_marketing_skips_numbers_on_the_do_not_call_list_unless_the_customer_consented()
    {
        var company = new ProfileTraits { Company = new Company { Name = "Quincaillerie Roux" } };
        var (listed, consenting, free) = (FrenchMobile(), FrenchMobile(), FrenchMobile());
        var (listedEmail, consentingEmail, freeEmail) = (Email("dnc-listed"), Email("dnc-consenting"), Email("dnc-free"));
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { listedEmail, Phone(listed.International) }, Traits = company });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { freeEmail, Phone(free.International) }, Traits = company });
        var withConsent = company.Clone();
        withConsent.Consents.Add(Decision(ContactChannel.Phone, ConsentPurpose.Marketing, ConsentStatus.Granted, Now().AddDays(-1)));
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { consentingEmail, Phone(consenting.International) }, Traits = withConsent });

        using (var load = Profiles.ReplaceDoNotCallList())
        {
            static string Sha(string e164) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(e164)));
            await load.RequestStream.WriteAsync(new DoNotCallListChunk { Sha256Hex = { Sha(listed.E164), Sha("+33100000000") } });
            await load.RequestStream.WriteAsync(new DoNotCallListChunk { Sha256Hex = { Sha(consenting.E164).ToLowerInvariant() } });
            await load.RequestStream.CompleteAsync();
            var summary = await load.ResponseAsync;
            Assert.Equal(3, summary.Numbers);
        }

        var refused = await Profiles.CanContactAsync(new CanContactRequest { Identifier = listedEmail, Channel = ContactChannel.Phone });
        Assert.False(refused.Allowed);
        Assert.Contains("do-not-call", refused.Reason, StringComparison.Ordinal);
        Assert.True((await Profiles.CanContactAsync(new CanContactRequest { Identifier = consentingEmail, Channel = ContactChannel.Phone })).Allowed);
        Assert.True((await Profiles.CanContactAsync(new CanContactRequest { Identifier = freeEmail, Channel = ContactChannel.Phone })).Allowed);

        // A malformed digest refuses the whole load, and the list in force stays.
        using (var bad = Profiles.ReplaceDoNotCallList())
        {
            try
            {
                await bad.RequestStream.WriteAsync(new DoNotCallListChunk { Sha256Hex = { "+33612345678" } });
                await bad.RequestStream.CompleteAsync();
            }
            catch (Exception writing) when (writing is Grpc.Core.RpcException or InvalidOperationException)
            {
                // The engine may refuse before the stream is closed: the response says why.
            }

            var error = await RpcAssert.FailsWith(Grpc.Core.StatusCode.InvalidArgument, () => bad.ResponseAsync);
            Assert.Equal("chunks[0].sha256_hex[0]", RpcAssert.FieldViolations(error).Single().Field);
        }

        Assert.False((await Profiles.CanContactAsync(new CanContactRequest { Identifier = listedEmail, Channel = ContactChannel.Phone })).Allowed);

        // Emptied, the list stops anyone.
        using (var clear = Profiles.ReplaceDoNotCallList())
        {
            await clear.RequestStream.CompleteAsync();
            Assert.Equal(0, (await clear.ResponseAsync).Numbers);
        }

        Assert.True((await Profiles.CanContactAsync(new CanContactRequest { Identifier = listedEmail, Channel = ContactChannel.Phone })).Allowed);
    }

    [Fact]
    public async Task A_merge_keeps_both_records_histories_and_the_latest_decision_of_each_pair()
    {
        var (email, device) = (Email("consent-merge"), Anonymous());
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Consents = { Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, Now().AddDays(-3), request: "signup") } },
        });
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { device },
            Traits = new ProfileTraits { Consents = { Decision(ContactChannel.Unspecified, ConsentPurpose.Personalization, ConsentStatus.Granted, Now().AddDays(-2), request: "banner") } },
        });

        var merged = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, device } });
        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ById(merged.CustomerId) });

        Assert.NotEmpty(merged.MergedCustomerIds);
        Assert.Equal(["signup", "banner"], export.ConsentHistory.Select(c => c.RequestId));
        Assert.Equal(2, export.Profile.Traits.Consents.Count);
        Assert.True((await Profiles.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = email })).Personalized);
    }

    [Fact]
    public async Task Decisions_that_cannot_stand_as_proof_are_refused_and_nothing_changes()
    {
        var email = Email("consent-bad");
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });
        var at = Now().AddDays(-1);

        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Unspecified, ConsentPurpose.Marketing, ConsentStatus.Granted, at))).ResponseAsync, "traits.consents[0].channel");
        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Email, (ConsentPurpose)99, ConsentStatus.Granted, at))).ResponseAsync, "traits.consents[0].purpose");
        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Email, ConsentPurpose.Marketing, (ConsentStatus)99, at))).ResponseAsync, "traits.consents[0].status");
        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, at, wording: new string('w', 300)))).ResponseAsync, "traits.consents[0].wording_version");
        await RpcAssert.InvalidArgument(
            () => Profiles.UpdateProfileAsync(Consents(email, Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, at), Decision(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Denied, at))).ResponseAsync,
            "traits.consents");

        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(email) });
        Assert.Empty(export.Profile.Traits.Consents);
        Assert.Empty(export.ConsentHistory);
    }
}

/// <summary>Segments used for campaigns can require a consent: members who refuse or withdraw leave the list.</summary>
[Collection(SegmentEngineCollection.Name)]
public sealed class ConsentGatedSegmentTests(SegmentEngineFixture engine)
{
    [Fact]
    public async Task A_segment_can_require_one_of_the_retailers_own_purposes_and_an_unknown_one_is_refused()
    {
        var segmentId = "panel_" + Guid.NewGuid().ToString("N")[..12];
        var currency = "Z" + (char)('A' + Random.Shared.Next(26)) + (char)('A' + Random.Shared.Next(26));
        Segment Panel(string purpose) => new()
        {
            SegmentId = segmentId,
            Name = "Research panel",
            Rule = new SegmentRule { AllOf = { new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Gt, Amount = 0 } } } },
            RequiredConsent = new ActivationConsent { Purpose = ConsentPurpose.Custom, CustomPurpose = purpose },
        };
        await RpcAssert.InvalidArgumentOnlyOn(
            () => engine.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = Panel("surveys") }).ResponseAsync,
            "segment.required_consent.custom_purpose");
        var put = await engine.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = Panel("research") });
        Assert.Equal("research", put.RequiredConsent.CustomPurpose);
        await Task.Delay(1500); // every silo's rules cache holds the new segment

        var (agreed, silent) = (Email("panel-yes"), Email("panel-no"));
        await engine.Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { agreed },
            Traits = new ProfileTraits { Consents = { new Consent { Purpose = ConsentPurpose.Custom, CustomPurpose = "research", Status = ConsentStatus.Granted, DecidedAt = Ts(Now().AddDays(-1)) } } },
        });
        var member = await engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(agreed, 20m, Now().AddHours(-1), currency: currency) });
        await engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(silent, 30m, Now().AddHours(-1), currency: currency) });

        Assert.Equal([member.CustomerId], (await engine.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId })).CustomerIds);
    }

    [Fact]
    public async Task A_segment_requiring_phone_marketing_reads_silence_by_the_policy_table_business_contacts_opt_out()
    {
        var segmentId = "calls_" + Guid.NewGuid().ToString("N")[..12];
        var currency = "Y" + (char)('A' + Random.Shared.Next(26)) + (char)('A' + Random.Shared.Next(26));
        await engine.Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment
            {
                SegmentId = segmentId,
                Name = "Buyers to call",
                Rule = new SegmentRule { AllOf = { new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Gt, Amount = 0 } } } },
                RequiredConsent = new ActivationConsent { Channel = ContactChannel.Phone, Purpose = ConsentPurpose.Marketing },
            },
        });
        await Task.Delay(1500); // every silo's rules cache holds the new segment

        var (business, consumer) = (Email("gated-b2b"), Email("gated-b2c"));
        await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { business }, Traits = new ProfileTraits { Company = new Company { Name = "Boulangerie Martin" } } });
        var member = await engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(business, 20m, Now().AddHours(-1), currency: currency) });
        await engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(consumer, 30m, Now().AddHours(-1), currency: currency) });

        // CanContact says the same for both.
        Assert.True((await engine.Profiles.CanContactAsync(new CanContactRequest { Identifier = business, Channel = ContactChannel.Phone })).Allowed);
        Assert.False((await engine.Profiles.CanContactAsync(new CanContactRequest { Identifier = consumer, Channel = ContactChannel.Phone })).Allowed);
        var members = await engine.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId });
        Assert.Equal([member.CustomerId], members.CustomerIds);
    }

    [Fact]
    public async Task A_segment_requiring_email_marketing_lists_only_buyers_who_consented_and_drops_one_who_withdraws()
    {
        var segmentId = "newsletter_" + Guid.NewGuid().ToString("N")[..12];
        var currency = "X" + (char)('A' + Random.Shared.Next(26)) + (char)('A' + Random.Shared.Next(26));
        var put = await engine.Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment
            {
                SegmentId = segmentId,
                Name = "Buyers for the newsletter",
                Rule = new SegmentRule { AllOf = { new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Gt, Amount = 0 } } } },
                RequiredConsent = new ActivationConsent { Channel = ContactChannel.Email, Purpose = ConsentPurpose.Marketing },
            },
        });
        Assert.Equal(ContactChannel.Email, put.RequiredConsent.Channel);
        await Task.Delay(1500); // every silo's rules cache holds the new segment

        var (consenting, silent) = (Email("gated-yes"), Email("gated-no"));
        var at = Now().AddDays(-1);
        await engine.Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { consenting },
            Traits = new ProfileTraits { Consents = { new Consent { Channel = ContactChannel.Email, Purpose = ConsentPurpose.Marketing, Status = ConsentStatus.Granted, DecidedAt = Ts(at) } } },
        });
        var member = await engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(consenting, 20m, Now().AddHours(-1), currency: currency) });
        await engine.Profiles.TrackAsync(new TrackRequest { Event = Purchase(silent, 30m, Now().AddHours(-1), currency: currency) });

        var before = await engine.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId });
        await engine.Profiles.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = ByIdentifier(consenting),
            Traits = new ProfileTraits { Consents = { new Consent { Channel = ContactChannel.Email, Purpose = ConsentPurpose.Marketing, Status = ConsentStatus.Withdrawn, DecidedAt = Ts(Now().AddMinutes(-1)) } } },
            UpdateMask = new FieldMask { Paths = { "consents" } },
        });
        var after = await engine.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId });

        Assert.Equal([member.CustomerId], before.CustomerIds);
        Assert.Equal(0, after.MemberCount);
        await RpcAssert.InvalidArgumentOnlyOn(
            () => engine.Segments.PutSegmentAsync(new PutSegmentRequest
            {
                Segment = new Segment
                {
                    SegmentId = segmentId,
                    Name = "Everyone, every channel",
                    Rule = new SegmentRule { AllOf = { new Condition { Expression = "orders >= 1" } } },
                    RequiredConsent = new ActivationConsent { Channel = ContactChannel.Unspecified, Purpose = ConsentPurpose.Marketing },
                },
            }).ResponseAsync,
            "segment.required_consent.channel");
    }
}
