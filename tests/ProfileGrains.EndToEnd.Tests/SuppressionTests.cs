using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>With ReingestAfterErasure=Refuse, an erased person's identifiers are never linked to anyone again.</summary>
[Collection(SuppressingEngineCollection.Name)]
public sealed class SuppressionTests(SuppressingEngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    [Fact]
    public async Task An_erased_persons_identifiers_are_refused_alone_and_left_out_beside_new_ones()
    {
        var (email, phone) = (Email("suppressed"), Phone(FrenchMobile().International));
        var erased = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, phone } });
        await Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(email) });

        var alone = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } }).ResponseAsync);
        Assert.Equal("identifiers", alone.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations.Single().Subject);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, phone) }).ResponseAsync);

        var loyalty = Loyalty();
        var beside = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, loyalty } });
        Assert.True(beside.Created);
        Assert.NotEqual(erased.CustomerId, beside.CustomerId);
        var conflict = Assert.Single(beside.Conflicts);
        Assert.Equal(email.Value, conflict.Identifier.Value);
        Assert.Contains("erased", conflict.Reason, StringComparison.Ordinal);
        Assert.Equal([loyalty.Value], (await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(beside.CustomerId) })).Identifiers.Select(i => i.Value));
        await RpcAssert.NotFound(() => Profiles.LookupAsync(new LookupRequest { Identifier = email }).ResponseAsync);
    }

    [Fact]
    public async Task In_a_batch_an_event_with_only_an_erased_persons_identifiers_is_counted_for_nobody_and_the_others_are()
    {
        var phone = Phone(FrenchMobile().International);
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { phone } });
        await Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(phone) });
        var newcomer = Email("batch-newcomer");

        var batch = await Profiles.TrackBatchAsync(new TrackBatchRequest { Events = { Event(EventType.PageView, phone), Event(EventType.PageView, newcomer) } });

        Assert.Equal(TrackOutcome.NotLinked, batch.Results[0].Outcome);
        Assert.Equal(string.Empty, batch.Results[0].CustomerId);
        Assert.Contains("erased", Assert.Single(batch.Results[0].Conflicts).Reason, StringComparison.Ordinal);
        Assert.Equal(TrackOutcome.Accepted, batch.Results[1].Outcome);
        Assert.Equal(batch.Results[1].CustomerId, (await Profiles.LookupAsync(new LookupRequest { Identifier = newcomer })).CustomerId);
        await RpcAssert.NotFound(() => Profiles.LookupAsync(new LookupRequest { Identifier = phone }).ResponseAsync);
    }
}
