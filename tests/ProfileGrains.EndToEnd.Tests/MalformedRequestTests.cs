using System.Text;
using Google.Protobuf;
using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// Bytes no well-behaved client would send: invalid UTF-8, lone surrogates, truncated or garbled protobuf. Sent as raw
/// frames (a client library refuses to encode them), they must get INVALID_ARGUMENT naming the field, and change nothing.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MalformedRequestTests(EngineFixture engine)
{
    private const string Marker = "@@@@";

    public static TheoryData<string, byte[]> BrokenText => new()
    {
        { "invalid UTF-8 sequence", [0xC3, 0x28, 0x41, 0x41] },
        { "lone high surrogate", [0x41, 0xED, 0xA0, 0x80] },
        { "lone low surrogate", [0xED, 0xB0, 0x80, 0x41] },
        { "overlong encoding of '/'", [0xC0, 0xAF, 0x41, 0x41] },
        { "truncated sequence", [0x41, 0x41, 0x41, 0xE2] },
    };

    [Theory]
    [MemberData(nameof(BrokenText))]
    public async Task Text_that_is_not_utf8_gets_invalid_argument_naming_the_field(string scenario, byte[] bytes)
    {
        Assert.False(string.IsNullOrEmpty(scenario));
        var request = new IdentifyRequest { Identifiers = { Email("raw") }, Traits = new ProfileTraits { Name = new PersonName { GivenName = Marker } } };

        var refused = await Send(ProfileService.Descriptor.FullName, "Identify", Replace(request.ToByteArray(), Marker, bytes));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violation = Assert.Single(RpcAssert.FieldViolations(refused));
        Assert.Equal("traits.name.given_name", violation.Field);
        Assert.Contains("UTF-8", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_string_deep_in_a_repeated_field_is_located_by_index()
    {
        var customer = Email("raw-event");
        var track = new TrackRequest { Event = Event(EventType.PageView, customer) };
        track.Event.Identifiers.Add(Id(IdentifierType.AnonymousId, Marker));

        var refused = await Send(ProfileService.Descriptor.FullName, "Track", Replace(track.ToByteArray(), Marker, [0x41, 0xED, 0xA0, 0x80]));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("event.identifiers[1].value", Assert.Single(RpcAssert.FieldViolations(refused)).Field);
    }

    [Theory]
    [InlineData("truncated in a length-delimited field", 7)]
    [InlineData("cut after a tag", 1)]
    public async Task Truncated_protobuf_gets_invalid_argument(string scenario, int keep)
    {
        Assert.False(string.IsNullOrEmpty(scenario));
        var bytes = new IdentifyRequest { Identifiers = { Email("truncated") } }.ToByteArray();

        var refused = await Send(ProfileService.Descriptor.FullName, "Identify", bytes[..keep]);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("protobuf", Assert.Single(RpcAssert.FieldViolations(refused)).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all ones", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData("end-group tag without a start", new byte[] { 0x0C })]
    [InlineData("field number zero", new byte[] { 0x02, 0x01, 0x41 })]
    public async Task Garbled_protobuf_gets_invalid_argument_on_every_service(string scenario, byte[] bytes)
    {
        Assert.False(string.IsNullOrEmpty(scenario));

        Assert.Equal(StatusCode.InvalidArgument, (await Send(ProfileService.Descriptor.FullName, "Lookup", bytes)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Send(SegmentService.Descriptor.FullName, "PutSegment", bytes)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Send(DiagnosticsService.Descriptor.FullName, "Echo", bytes)).StatusCode);
    }

    [Fact]
    public async Task A_malformed_update_leaves_the_stored_profile_as_it_was()
    {
        var email = Email("malformed-update");
        var created = await engine.Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email }, Traits = new ProfileTraits { Name = new PersonName { GivenName = "Ana", FamilyName = "Lima" } } });
        var before = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(created.CustomerId) });
        var update = new UpdateProfileRequest
        {
            Customer = ById(created.CustomerId),
            Traits = new ProfileTraits { Name = new PersonName { GivenName = Marker, FamilyName = "Changed" } },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "name" } },
        };

        var refused = await Send(ProfileService.Descriptor.FullName, "UpdateProfile", Replace(update.ToByteArray(), Marker, [0xED, 0xA0, 0x80, 0x41]));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var after = await engine.Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(created.CustomerId) });
        Assert.Equal(before, after);
        Assert.Equal("Lima", after.Traits.Name.FamilyName);
    }

    [Fact]
    public async Task Well_formed_raw_bytes_still_reach_the_rpc()
    {
        var bytes = new LookupRequest { Identifier = Email("raw-nobody") }.ToByteArray();

        Assert.Equal(StatusCode.NotFound, (await Send(ProfileService.Descriptor.FullName, "Lookup", bytes)).StatusCode);
    }

    private async Task<RpcException> Send(string service, string rpc, byte[] payload)
    {
        var raw = Marshallers.Create(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, service, rpc, raw, raw);
        return await Assert.ThrowsAsync<RpcException>(() => engine.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), payload).ResponseAsync);
    }

    private static byte[] Replace(byte[] message, string marker, byte[] replacement)
    {
        var target = Encoding.UTF8.GetBytes(marker);
        Assert.Equal(target.Length, replacement.Length); // lengths inside the message stay right
        var at = message.AsSpan().IndexOf(target);
        Assert.True(at >= 0);
        var copy = (byte[])message.Clone();
        replacement.CopyTo(copy, at);
        return copy;
    }
}
