using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>EraseCustomer: one person gone from every read, identifier, segment and merged record, through real gRPC.</summary>
[Collection(EngineCollection.Name)]
public sealed class ErasureTests(EngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private SegmentService.SegmentServiceClient Segments => engine.Segments;

    [Fact]
    public async Task An_erased_person_is_gone_from_every_read_with_the_records_merged_into_theirs()
    {
        var (email, phone, loyalty, device) = (Email("erase"), Phone(FrenchMobile().International), Loyalty(), Anonymous());
        var browsing = await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, device) });
        var person = await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email, phone, loyalty },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "Léa" }, Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-1)) } },
        });
        var merged = await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, device } });
        Assert.Contains(browsing.CustomerId, merged.MergedCustomerIds.Append(merged.CustomerId));
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 30m, Now().AddHours(-1)) });

        var erased = await Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(phone) });

        Assert.Equal(merged.CustomerId, erased.CustomerId);
        Assert.Equal(2, erased.RecordsErased);
        Assert.Equal(4, erased.IdentifiersErased);
        foreach (var identifier in new[] { email, phone, loyalty, device })
        {
            await RpcAssert.NotFound(() => Profiles.LookupAsync(new LookupRequest { Identifier = identifier }).ResponseAsync);
            await RpcAssert.NotFound(() => Profiles.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = identifier }).ResponseAsync);
        }

        foreach (var customerId in new[] { person.CustomerId, browsing.CustomerId })
        {
            await RpcAssert.NotFound(() => Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) }).ResponseAsync);
            await RpcAssert.NotFound(() => Profiles.ExportCustomerAsync(new ExportCustomerRequest { Customer = ById(customerId) }).ResponseAsync);
        }

        // Done is done: a retry finds nobody, and changes nothing.
        await RpcAssert.NotFound(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(email) }).ResponseAsync);
        await RpcAssert.NotFound(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ById(merged.CustomerId) }).ResponseAsync);
    }

    [Fact]
    public async Task Anonymous_ids_beyond_the_profiles_cap_are_erased_too()
    {
        var email = Email("erase-cap");
        var devices = Enumerable.Range(0, 53).Select(_ => Anonymous()).ToArray();
        foreach (var device in devices)
        {
            await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, device } });
        }

        // The profile keeps the newest; the oldest still lead to the person (a returning browser is recognised).
        var profile = await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });
        var kept = profile.Identifiers.Count(i => i.Type == IdentifierType.AnonymousId);
        Assert.InRange(kept, 40, 50);
        Assert.DoesNotContain(profile.Identifiers, i => i.Value == devices[0].Value);
        Assert.Equal(profile.CustomerId, (await Profiles.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = devices[0] })).CustomerId);

        var erased = await Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(email) });

        Assert.Equal(1 + devices.Length, erased.IdentifiersErased);
        foreach (var identifier in devices.Prepend(email))
        {
            await RpcAssert.NotFound(() => Profiles.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = identifier }).ResponseAsync);
        }
    }

    [Fact]
    public async Task Identifiers_sent_again_after_an_erasure_make_a_new_person_with_no_past()
    {
        var email = Email("erase-again");
        var before = await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { email },
            Traits = new ProfileTraits { Name = new PersonName { GivenName = "Old" }, Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-1)) } },
        });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(email, 99m, Now().AddHours(-2)) });
        await Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(email) });

        var tracked = await Profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email) });
        var after = await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) });

        Assert.NotEqual(before.CustomerId, tracked.CustomerId);
        Assert.Equal(tracked.CustomerId, after.CustomerId);
        Assert.Equal(string.Empty, after.Traits.Name?.GivenName ?? string.Empty);
        Assert.Empty(after.Traits.Consents);
        Assert.Equal(0, after.Transactions.OrderCount);
        await RpcAssert.NotFound(() => Profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(before.CustomerId) }).ResponseAsync);
    }

    [Fact]
    public async Task An_erased_member_leaves_its_segments_and_their_lists()
    {
        var segmentId = "seg_" + Guid.NewGuid().ToString("N");
        var currency = "X" + (char)('A' + Random.Shared.Next(26)) + (char)('A' + Random.Shared.Next(26));
        await Segments.PutSegmentAsync(new PutSegmentRequest
        {
            Segment = new Segment
            {
                SegmentId = segmentId,
                Name = "Erasure spenders",
                Rule = new SegmentRule { AllOf = { new Condition { Spend = new SpendCondition { CurrencyCode = currency, Comparison = Comparison.Gt, Amount = 0 } } } },
            },
        });
        await Task.Delay(1500); // every silo's rules cache holds the new segment
        var (staying, leaving) = (Loyalty(), Loyalty());
        var kept = await Profiles.TrackAsync(new TrackRequest { Event = Purchase(staying, 10m, Now().AddHours(-1), currency: currency) });
        var gone = await Profiles.TrackAsync(new TrackRequest { Event = Purchase(leaving, 20m, Now().AddHours(-1), currency: currency) });
        Assert.Equal(2, (await Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount);
        var watchedBefore = (await Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId, PageSize = 10 })).WatchCursor;

        await Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(leaving) });

        // A watcher (a copy of the list in a campaign tool) that had not read the departure before the erasure blanked it
        // is sent to list the members again, so its copy loses the erased member too.
        var resumed = Segments.WatchSegment(new WatchSegmentRequest { SegmentId = segmentId, Cursor = watchedBefore });
        var relist = await Assert.ThrowsAsync<RpcException>(() => resumed.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OutOfRange, relist.StatusCode);

        Assert.Equal(1, (await Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount);
        var members = await Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segmentId, PageSize = 10 });
        Assert.Equal([kept.CustomerId], members.CustomerIds);
        Assert.DoesNotContain(gone.CustomerId, members.CustomerIds);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_gets_the_first_answer_without_naming_anyone()
    {
        var email = Email("erase-retry");
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email, Loyalty() } });
        var request = new EraseCustomerRequest { Customer = ByIdentifier(email), RequestId = "dsr-2026-" + Guid.NewGuid().ToString("N") };

        var first = await Profiles.EraseCustomerAsync(request);
        var retry = await Profiles.EraseCustomerAsync(request);

        Assert.NotEqual(string.Empty, first.CustomerId);
        Assert.Equal((1, 2, first.ErasedAt), (retry.RecordsErased, retry.IdentifiersErased, retry.ErasedAt));
        Assert.Equal(string.Empty, retry.CustomerId); // the ledger keeps no id
        await RpcAssert.NotFound(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(email), RequestId = "another-request" }).ResponseAsync);
    }

    [Theory]
    [InlineData("ana@shop.fr")]
    [InlineData("with space")]
    [InlineData("é")]
    public async Task A_request_id_that_could_carry_personal_data_or_break_a_log_is_refused(string requestId)
    {
        var email = Email("erase-bad-id");
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { email } });

        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(email), RequestId = requestId }).ResponseAsync, "request_id");
        Assert.Equal(email.Value, (await Profiles.GetProfileAsync(new GetProfileRequest { Customer = ByIdentifier(email) })).Identifiers.Single().Value);
    }

    [Fact]
    public async Task Nobody_and_a_bad_reference_are_refused()
    {
        await RpcAssert.NotFound(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(Email("nobody")) }).ResponseAsync);
        await RpcAssert.InvalidArgumentOnlyOn(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest()).ResponseAsync, "customer");
        await RpcAssert.InvalidArgument(() => Profiles.EraseCustomerAsync(new EraseCustomerRequest { Customer = ByIdentifier(Id(IdentifierType.Email, "not an email")) }).ResponseAsync, "customer.identifier.value");
    }
}
