using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// What the logs reveal: a corpus of ordinary and hostile calls carrying a person's email, phone, loyalty card, CRM id,
/// device id and name, with every log category at trace; then no line may contain any of them.
/// </summary>
[Collection(LoggedEngineCollection.Name)]
public sealed class LogPrivacyTests(LoggedEngineFixture engine)
{
    private ProfileService.ProfileServiceClient Client => engine.Profiles;

    [Fact]
    public async Task No_log_line_at_any_level_holds_personal_data_and_a_refusal_is_one_debug_line_without_a_stack_trace()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var person = new Person(tag);
        var logged = engine.Log.Lines.Count;

        var refusals = await RunCorpus(person);

        var lines = engine.Log.Lines.Skip(logged).ToList();
        Assert.NotEmpty(lines); // debug logging is on: the corpus must have been heard
        foreach (var secret in person.Secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Text.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.True(leak is null, $"'{secret}' was logged by {leak?.Category}: {leak?.Text}");
        }

        // Our own refusal lines: one per refused call, at debug, status and field paths only, no stack trace.
        var ours = lines.Where(l => l.Category.StartsWith("ProfileGrains", StringComparison.Ordinal)).ToList();
        var refusalLines = ours.Where(l => l.Message.Contains(" refused: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(refusals.ThroughRpcs, refusalLines.Count);
        Assert.All(refusalLines, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.All(ours, l => Assert.Null(l.Exception));
        Assert.All(refusalLines, l => Assert.InRange(l.Text.Length, 1, 200));
        Assert.DoesNotContain(refusalLines, l => l.Text.Contains('\n', StringComparison.Ordinal));
    }

    /// <summary>Ordinary traffic for one person, then refused calls; returns how many calls were refused, and where.</summary>
    private async Task<(int ThroughRpcs, int Malformed)> RunCorpus(Person person)
    {
        var first = await Client.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { person.Email, person.Phone, person.Loyalty },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = person.GivenName, FamilyName = person.FamilyName } },
        });
        var second = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Crm, person.Device } });
        var merged = await Client.IdentifyAsync(new IdentifyRequest { Identifiers = { person.Email, person.Crm } });
        Assert.Contains(second.CustomerId, merged.MergedCustomerIds.Append(merged.CustomerId));

        await Client.TrackAsync(new TrackRequest { Event = Purchase(person.Loyalty, 42.5m, DateTimeOffset.UtcNow.AddMinutes(-2), channel: Protos.V1.Channel.Store, storeId: "store-12") });
        await Client.TrackBatchAsync(new TrackBatchRequest { Events = { Event(EventType.PageView, person.Device), Event(EventType.ProductView, person.Device) } });
        await Client.LookupAsync(new LookupRequest { Identifier = Phone(person.PhoneNational) });
        await Client.GetProfileAsync(new GetProfileRequest { Customer = new CustomerRef { Identifier = person.Email } });
        await Client.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = person.Loyalty });
        await Client.GetPersonalizationAsync(new GetPersonalizationRequest { Identifier = person.Device });
        await Client.CanContactAsync(new CanContactRequest { Identifier = person.Email, Channel = ContactChannel.Email });
        await Client.UpdateProfileAsync(new UpdateProfileRequest
        {
            Customer = new CustomerRef { Identifier = person.Phone },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = person.GivenName + "e" } },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "name.given_name" } },
        });

        // Refused: unknown people, forged log lines, values that are not identifiers, a malformed frame.
        var refused = 0;
        async Task Refused(Func<Task> call, StatusCode expected)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(expected, error.StatusCode);
            refused++;
        }

        await Refused(() => Client.LookupAsync(new LookupRequest { Identifier = person.Stranger }).ResponseAsync, StatusCode.NotFound);
        await Refused(() => Client.GetProfileAsync(new GetProfileRequest { Customer = new CustomerRef { Identifier = person.Stranger } }).ResponseAsync, StatusCode.NotFound);
        await Refused(() => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Id(IdentifierType.Email, person.Email.Value + "\nINFO forged: admin logged in") } }).ResponseAsync, StatusCode.InvalidArgument);
        await Refused(() => Client.IdentifyAsync(new IdentifyRequest { Identifiers = { Phone(person.PhoneNational + " ext. 12345678901234") } }).ResponseAsync, StatusCode.InvalidArgument);
        await Refused(() => Client.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, Id(IdentifierType.Email, "@" + person.Email.Value)) }).ResponseAsync, StatusCode.InvalidArgument);
        await Refused(
            () => Client.UpdateProfileAsync(new UpdateProfileRequest
            {
                Customer = new CustomerRef { Identifier = person.Email },
                Traits = new ProfileTraits { Name = new PersonName { GivenName = person.GivenName + "\u202E" } },
                UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "name.given_name" } },
            }).ResponseAsync,
            StatusCode.InvalidArgument);

        var malformed = new LookupRequest { Identifier = Id(IdentifierType.Email, person.Email.Value + "@@") }.ToByteArray();
        var at = malformed.AsSpan().IndexOf("@@"u8);
        malformed[at] = 0xED; // a lone surrogate's first byte: not UTF-8
        var raw = Marshallers.Create(b => b, b => b);
        var lookupRaw = new Method<byte[], byte[]>(MethodType.Unary, ProfileService.Descriptor.FullName, "Lookup", raw, raw);
        var rawError = await Assert.ThrowsAsync<RpcException>(() => engine.Channel.CreateCallInvoker().AsyncUnaryCall(lookupRaw, null, default, malformed).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, rawError.StatusCode);

        return (refused, 1);
    }

    /// <summary>One person's identifiers and name, unique to this run, and every form in which they could leak.</summary>
    private sealed class Person(string tag)
    {
        private readonly (string National, string International, string E164) _mobile = FrenchMobile();

        public Identifier Email { get; } = Id(IdentifierType.Email, $"zephyrine.{tag}@maison-lumiere.fr");

        public Identifier Stranger { get; } = Id(IdentifierType.Email, $"nobody.{tag}@maison-lumiere.fr");

        public Identifier Phone => Phone(_mobile.International);

        public string PhoneNational => _mobile.National;

        public Identifier Loyalty { get; } = Id(IdentifierType.LoyaltyId, $"LOY{tag.ToUpperInvariant()}");

        public Identifier Crm { get; } = Id(IdentifierType.CrmId, $"crm-{tag}");

        public Identifier Device { get; } = Id(IdentifierType.AnonymousId, $"device-{tag}");

        public string GivenName { get; } = $"Zephyrine{tag[..6]}";

        public string FamilyName { get; } = $"Lumiere{tag[6..]}";

        public IEnumerable<string> Secrets =>
        [
            Email.Value, $"zephyrine.{tag}", Stranger.Value, $"nobody.{tag}", _mobile.E164, _mobile.E164[1..], _mobile.National, _mobile.National.Replace(" ", string.Empty, StringComparison.Ordinal),
            _mobile.International, _mobile.E164[3..], Loyalty.Value, Crm.Value, Device.Value, GivenName, FamilyName, tag,
        ];
    }
}
