using Google.Protobuf;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>ExportCustomer: a person's own copy of everything held about them, by any of their identifiers.</summary>
[Collection(EngineCollection.Name)]
public sealed class ExportTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    [Fact]
    public async Task The_export_holds_every_identifier_trait_consent_event_count_interest_message_and_merge()
    {
        var email = Email("export");
        var loyalty = Loyalty();
        var device = Anonymous();
        var decided = Now().AddDays(-3);
        var created = await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email, loyalty },
            Traits = new ProfileTraits
            {
                Name = new PersonName { GivenName = "Inès", FamilyName = "Moreau" },
                Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, decided, "store-tablet") },
            },
        });
        // A second record of the same person (a browsing device), merged in when they log in.
        var anonymous = await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, device) });
        var merged = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, device } });
        Assert.Contains(anonymous.CustomerId, merged.MergedCustomerIds);
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 89.90m, Now().AddHours(-2), category: "handbags") });
        var message = Event(EventType.PageView, Now().AddHours(-1), email);
        message.Type = EventType.MessageSent;
        message.MessageSent = new MessageSent { Channel = ContactChannel.Email, Campaign = "winter" };
        await Profiles.TrackAsync(new TrackRequest { Event = message });

        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(loyalty) });

        Assert.Equal(created.CustomerId, export.Profile.CustomerId);
        Assert.InRange(export.ExportedAt.ToDateTimeOffset(), Now().AddMinutes(-1), Now().AddMinutes(1));
        Assert.Equal(
            new[] { email.Value, loyalty.Value, device.Value }.Order(StringComparer.Ordinal),
            export.Profile.Identifiers.Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Equal("Inès", export.Profile.Traits.Name.GivenName);
        var consent = Assert.Single(export.Profile.Traits.Consents);
        Assert.Equal((ConsentStatus.Granted, "store-tablet"), (consent.Status, consent.Source));
        Assert.Equal(1, export.Profile.Transactions.OrderCount);
        Assert.Contains(export.Profile.Counters, c => c.EventType == EventType.ProductView);
        Assert.Contains(export.CategoryInterests, i => i.Key == "handbags" && i.Score > 0);
        Assert.Contains(export.ProductInterests, i => i.Key == "SKU-1");
        Assert.True(export.CategoryInteractions["handbags"] >= 1);
        var sent = Assert.Single(export.MessagesSent);
        Assert.Equal(ContactChannel.Email, sent.Channel);
        Assert.Equal(1, sent.Windows.Single(w => w.Window == CounterWindow._7D).Count);
        var merge = Assert.Single(export.Merges);
        Assert.Equal(anonymous.CustomerId, merge.AbsorbedCustomerId);
        Assert.False(string.IsNullOrEmpty(merge.MergeId));
        Assert.Equal(4, export.RememberedEventDigests); // the view, the purchase's event and order ids, the message
        Assert.NotNull(export.TraitsUpdatedAt);
    }

    [Fact]
    public async Task Every_identifier_and_a_merged_away_id_lead_to_the_same_export()
    {
        var email = Email("export-any");
        var phone = FrenchMobile();
        var crm = Crm();
        var first = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, Phone(phone.International) } });
        var second = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { crm } });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, crm } });

        var byEmail = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(email) });
        var byPhone = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(Phone(phone.National)) });
        var byMergedAway = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ById(second.CustomerId == byEmail.Profile.CustomerId ? first.CustomerId : second.CustomerId) });

        Assert.Equal(byEmail.Profile.CustomerId, byPhone.Profile.CustomerId);
        Assert.Equal(byEmail.Profile.CustomerId, byMergedAway.Profile.CustomerId);
        Assert.NotNull(byMergedAway.Profile.MergedAway);
        Assert.Contains(byMergedAway.Profile.Identifiers, i => i.Value == crm.Value);
    }

    [Fact]
    public async Task The_export_is_a_json_document_that_reads_back_as_the_same_record()
    {
        var email = Email("export-json");
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Zoë 👩‍👧" } } });
        var export = await Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(email) });

        var json = JsonFormatter.Default.Format(export);
        var parsed = JsonParser.Default.Parse<CustomerExport>(json);

        Assert.Equal(export, parsed);
        Assert.Equal("Zoë 👩‍👧", parsed.Profile.Traits.Name.GivenName);
        Assert.Contains("\"givenName\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_and_a_bad_reference_are_refused()
    {
        await RpcAssert.NotFound(() => Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(Email("nobody")) }).ResponseAsync);
        await RpcAssert.InvalidArgument(() => Profiles.ExportCustomerAsync(new ExportCustomerRequest()).ResponseAsync, "customer");
        await RpcAssert.InvalidArgument(() => Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ByIdentifier(Id(IdentifierType.Email, "not an email")) }).ResponseAsync, "customer.identifier.value");
        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ById("not a customer id!") }).ResponseAsync, "customer.customer_id");
    }
}
