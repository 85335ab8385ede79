using System.Text;
using Google.Protobuf;
using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

[Collection(EngineCollection.Name)]
public sealed class HostileInputTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    [Theory]
    [InlineData("emoji", "Zoë 👩‍👩‍👧‍👦", "O'Brien-😀🇫🇷")]
    [InlineData("rtl", "مُحَمَّد", "שָׁלוֹם")]
    [InlineData("combining", "Z̤͔ͧ̑̓ä͖̭̈̇l͉ͫǧ̗͚o̙̔ͮ̇͐̇", "e\u0301le\u0300ve")]
    [InlineData("joiners-and-marks", "Ann\u200Fa", "李\u200D小龍\u200C")]
    [InlineData("astral", "𝔄𝔫𝔫𝔞", "𓀀𓁐")]
    public async Task Unicode_names_round_trip(string scenario, string given, string family)
    {
        Assert.False(string.IsNullOrEmpty(scenario));
        var email = Email("unicode");

        var identify = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = given, FamilyName = family }, CustomAttributes = { [given] = family } },
        });

        // Names are stored in Unicode normalization form C: what comes back is the NFC form of what was sent.
        var expectedGiven = given.Normalize(NormalizationForm.FormC);
        var expectedFamily = family.Normalize(NormalizationForm.FormC);
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(identify.CustomerId) });
        Assert.Equal(expectedGiven, profile.Traits.Name.GivenName);
        Assert.Equal(expectedFamily, profile.Traits.Name.FamilyName);
        Assert.Equal(family, profile.Traits.CustomAttributes[given]);
        var summary = await Client.LookupAsync(new LookupRequest { Identifier = email });
        Assert.Equal(expectedGiven, summary.Name.GivenName);
        Assert.Equal(expectedFamily, summary.Name.FamilyName);
    }

    [Theory]
    [InlineData("right-to-left-override", "\u202Eevil\u202C Ann")]
    [InlineData("isolate", "Ann\u2067x\u2069")]
    [InlineData("zero-width-space", "An\u200Bn")]
    [InlineData("byte-order-mark", "\uFEFFAnn")]
    [InlineData("line-separator", "Ann\u2028INFO forged log line")]
    public async Task A_name_with_invisible_display_controls_is_rejected_and_the_rest_kept(string scenario, string given)
    {
        Assert.False(string.IsNullOrEmpty(scenario));
        var email = Email("deceptive");

        var response = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = given, FamilyName = "Lima" } },
        });

        var rejected = Assert.Single(response.RejectedTraits);
        Assert.Equal(("traits.name.given_name", "name.given_name"), (rejected.Field, rejected.Path));
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(response.CustomerId) });
        Assert.Equal((string.Empty, "Lima"), (profile.Traits.Name.GivenName, profile.Traits.Name.FamilyName));
    }

    [Fact]
    public async Task Decomposed_and_composed_names_are_stored_alike()
    {
        var email = Email("nfc");
        await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Chloe\u0301" } } });

        var summary = await Client.LookupAsync(new LookupRequest { Identifier = email });

        Assert.Equal("Chlo\u00E9", summary.Name.GivenName);
    }

    [Fact]
    public async Task An_internationalised_email_matches_its_punycode_form()
    {
        var local = $"jörg.{Guid.NewGuid():N}";
        var first = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, $"{local}@bücher.de") } });

        var again = await Client.LookupAsync(new LookupRequest { Identifier = Id(IdentifierType.Email, $"{local.ToUpperInvariant()}@XN--BCHER-KVA.DE") });

        Assert.True(first.Created);
        Assert.Equal(first.CustomerId, again.CustomerId);
    }

    [Theory]
    [InlineData("zero-width-space", "user\u200B@example.com")]
    [InlineData("newline", "user@example.com\nBcc: x@example.com")]
    [InlineData("bidi-override", "user\u202E@example.com")]
    [InlineData("no-dot-domain", "user@localhost")]
    public async Task Emails_with_invisible_or_control_characters_are_rejected(string scenario, string value)
    {
        Assert.False(string.IsNullOrEmpty(scenario));
        await RpcAssert.InvalidArgumentOnlyOn(
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, value) } }).ResponseAsync,
            "identifiers[0].value");
    }

    [Fact]
    public async Task A_name_longer_than_256_characters_is_rejected()
    {
        var email = Email("long");
        var response = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = new ProfileTraits { Name = new PersonName { FamilyName = new string('x', 257), GivenName = "Ana" } } });

        var rejected = Assert.Single(response.RejectedTraits);
        Assert.Equal(("traits.name.family_name", "name.family_name"), (rejected.Field, rejected.Path));
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(response.CustomerId) });
        Assert.Equal(("Ana", string.Empty), (profile.Traits.Name.GivenName, profile.Traits.Name.FamilyName));
    }

    [Fact]
    public async Task A_message_over_4_MiB_is_refused_with_resource_exhausted_and_the_server_keeps_answering()
    {
        var huge = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1024]);

        await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => engine.Diagnostics.EchoAsync(new EchoRequest { Payload = huge }).ResponseAsync);

        var email = Email("huge");
        var traits = new ProfileTraits { CustomAttributes = { ["blob"] = new string('a', 5 * 1024 * 1024) } };
        await RpcAssert.FailsWith(
            StatusCode.ResourceExhausted,
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = traits }).ResponseAsync);

        // Still alive, on the same channel.
        var echo = await engine.Diagnostics.EchoAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("still here") });
        Assert.Equal("still here", echo.Payload.ToStringUtf8());
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = email }).ResponseAsync);
        var identify = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });
        Assert.True(identify.Created);
    }

    [Fact]
    public async Task A_message_just_under_4_MiB_is_processed()
    {
        // Under the transport limit, the request reaches validation and is refused there (values are at most 1,024 characters).
        var email = Email("big");
        var traits = new ProfileTraits { CustomAttributes = { ["blob"] = new string('a', (4 * 1024 * 1024) - 4096) } };

        await RpcAssert.InvalidArgument(
            () => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = traits }).ResponseAsync,
            "traits.custom_attributes[blob]");
    }

    [Fact]
    public async Task Many_concurrent_calls_for_one_new_identifier_create_a_single_customer()
    {
        var email = Email("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { email } }).ResponseAsync));

        Assert.Single(responses.Select(r => r.CustomerId).Distinct());
        Assert.Single(responses, r => r.Created);
    }

    [Fact]
    public async Task A_very_long_email_is_stored_and_resolved()
    {
        // Over 200 characters the identity grain key becomes a digest; the readable value must survive.
        var label = new string('d', 50); // over 200 characters in all, within the 254 an address may have
        var value = $"{Guid.NewGuid():N}@{label}.{label}.{label}.{Guid.NewGuid():N}.client-mail.fr";
        Assert.True(value.Length > 200);

        var identify = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, value.ToUpperInvariant()) } });
        var summary = await Client.LookupAsync(new LookupRequest { Identifier = Id(IdentifierType.Email, value) });
        var profile = await Client.GetProfileAsync(new GetProfileRequest { Customer = ById(identify.CustomerId) });

        Assert.True(identify.Created);
        Assert.Equal(identify.CustomerId, summary.CustomerId);
        Assert.Equal(value, Assert.Single(profile.Identifiers).Value);
        await RpcAssert.NotFound(() => Client.LookupAsync(new LookupRequest { Identifier = Id(IdentifierType.Email, "x" + value) }).ResponseAsync);
    }
}
