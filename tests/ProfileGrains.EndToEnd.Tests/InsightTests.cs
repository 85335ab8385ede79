using Grpc.Core;
using ProfileGrains.EndToEnd.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.EndToEnd.Tests;

/// <summary>
/// The insight console's figures through gRPC: the customer base counted customer by customer when it is small,
/// estimated from a sample when it is not, and a segment's size before it is saved. The tests run in order on one host
/// of their own, so the base only holds what they created.
/// </summary>
[Collection(InsightEngineCollection.Name)]
public sealed class InsightTests(InsightEngineFixture engine)
{
    private ProfileService.ProfileServiceClient Profiles => engine.Profiles;

    private InsightService.InsightServiceClient Insights => engine.Insights;

    private static long Count(IEnumerable<LabelledCount> counts, string label) => counts.Single(c => c.Label == label).Customers;

    [Fact]
    public async Task The_customer_base_counts_each_live_customer_once_with_channel_mix_consents_and_activity()
    {
        var before = await Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest());
        var now = Now();
        var web = Email("web");
        var store = Loyalty();
        var both = Email("both");
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(web, 40m, now.AddDays(-3)) });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { store }, Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, now.AddDays(-1)) } } });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(store, 90m, now.AddDays(-8), channel: Channel.Store, storeId: "store-1") });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(both, 25m, now.AddDays(-20)) });
        await Profiles.TrackAsync(new TrackRequest { Event = Purchase(both, 35m, now.AddDays(-2), channel: Channel.Store, storeId: "store-1") });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("silent") }, Traits = new ProfileTraits { Consents = { Consent(ContactChannel.Sms, ConsentStatus.Denied, now.AddDays(-1)) } } });
        // Two records of one person, merged: the absorbed record is not a customer of its own any more.
        var online = Email("merged");
        var card = Loyalty();
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { online } });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { card } });
        Assert.Single((await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { online, card } })).MergedCustomerIds);

        var after = await Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest());

        Assert.Equal(before.Customers + 5, after.Customers);
        Assert.True(after.Exact);
        Assert.Equal(after.Customers, after.Sampled);
        Assert.Equal(Count(before.ChannelMix, "WebOnly") + 1, Count(after.ChannelMix, "WebOnly"));
        Assert.Equal(Count(before.ChannelMix, "StoreOnly") + 1, Count(after.ChannelMix, "StoreOnly"));
        Assert.Equal(Count(before.ChannelMix, "Omnichannel") + 1, Count(after.ChannelMix, "Omnichannel"));
        Assert.Equal(Count(before.ChurnRisk, "never bought") + 2, Count(after.ChurnRisk, "never bought"));
        Assert.Equal(after.Customers, after.RfmGrid.Sum(c => c.Customers) + Count(after.ChurnRisk, "never bought"));
        Assert.Equal(after.Customers, after.ValueTiers.Sum(t => t.Customers));
        var emailMarketing = after.ConsentCoverage.Single(c => c.Channel == ContactChannel.Email && c.Purpose == ConsentPurpose.Marketing);
        var smsMarketing = after.ConsentCoverage.Single(c => c.Channel == ContactChannel.Sms && c.Purpose == ConsentPurpose.Marketing);
        Assert.True(emailMarketing.Granted >= 1);
        Assert.True(smsMarketing.Refused >= 1);
        Assert.All(after.ConsentCoverage, c => Assert.Equal(after.Sampled, c.Granted + c.Refused + c.Unknown));

        // The silos report their activity every two seconds.
        Assert.True(await Eventually(async () =>
        {
            var activity = (await Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 1 })).Activity;
            return activity.Silos == 1 && activity.EventsIngested >= 4 && activity.Merges >= 1 && activity.ResidentCustomers >= 5;
        }, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_sample_smaller_than_the_base_is_an_estimate_scaled_to_every_customer()
    {
        for (var i = 0; i < 30; i++)
        {
            await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("sampled") } });
        }

        var full = await Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest());
        var sampled = await Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 10 });
        Assert.False(sampled.Exact);
        Assert.Equal(10, sampled.Sampled);
        // Estimated: a record merged away by another test may be among those drawn (it counts for nobody).
        Assert.InRange(sampled.Customers, full.Customers - 1, full.Customers + 1);
        Assert.Equal(10, sampled.ValueTiers.Sum(t => t.Customers));

        // A rule every customer meets is estimated at the whole base, whichever ten were drawn.
        var everyone = await Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = Rule("count(purchase, lifetime) >= 0"), SampleSize = 10 });
        Assert.Equal((10, 10, false), (everyone.Sampled, everyone.Matched, everyone.Exact));
        Assert.Equal(everyone.Customers, everyone.EstimatedMembers);
        Assert.InRange(everyone.EstimatedMembers, full.Customers - 1, full.Customers + 1);
    }

    [Fact]
    public async Task A_segments_estimate_is_the_membership_it_gets_once_saved_required_consent_included()
    {
        var cohort = Unique("cohort");
        var now = Now();
        for (var i = 0; i < 3; i++)
        {
            var consents = i == 0 ? new[] { Consent(ContactChannel.Email, ConsentStatus.Granted, now.AddDays(-1)) } : [];
            await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("cohort") }, Traits = new ProfileTraits { CustomAttributes = { ["cohort"] = cohort }, Consents = { consents } } });
        }

        var rule = Rule($"attribute(\"cohort\") == \"{cohort}\"");
        var estimate = await Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = rule });
        Assert.Equal((3, 3, true), (estimate.Matched, estimate.EstimatedMembers, estimate.Exact));
        var mailable = new ActivationConsent { Channel = ContactChannel.Email, Purpose = ConsentPurpose.Marketing };
        Assert.Equal(1, (await Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = rule, RequiredConsent = mailable })).Matched);

        var segmentId = Unique("estimated")[..40];
        await engine.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = new Segment { SegmentId = segmentId, Name = "Estimated", Rule = rule } });
        Assert.True(await Eventually(async () =>
            (await engine.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount == estimate.EstimatedMembers));
    }

    [Fact]
    public async Task A_required_consent_reads_silence_by_the_engines_contact_policy_as_the_saved_segment_does()
    {
        // By default phone marketing is opt-out for business contacts: one who never answered may be called.
        var cohort = Unique("b2b");
        await Profiles.IdentifyAsync(new IdentifyRequest
        {
            Identifiers = { Email("buyer") },
            Traits = new ProfileTraits { CustomAttributes = { ["cohort"] = cohort }, Company = new Company { Name = "Acme SAS" } },
        });
        await Profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { Email("consumer") }, Traits = new ProfileTraits { CustomAttributes = { ["cohort"] = cohort } } });
        var rule = Rule($"attribute(\"cohort\") == \"{cohort}\"");
        var callable = new ActivationConsent { Channel = ContactChannel.Phone, Purpose = ConsentPurpose.Marketing };

        var estimate = await Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = rule, RequiredConsent = callable });
        Assert.Equal(1, estimate.Matched);

        var segmentId = Unique("callable")[..40];
        await engine.Segments.PutSegmentAsync(new PutSegmentRequest { Segment = new Segment { SegmentId = segmentId, Name = "Callable", Rule = rule, RequiredConsent = callable } });
        Assert.True(await Eventually(async () =>
            (await engine.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = segmentId })).MemberCount == estimate.EstimatedMembers));
    }

    [Fact]
    public async Task A_sample_draws_from_the_whole_base_not_from_the_customers_created_first_and_stays_the_same_between_reads()
    {
        // Customer ids grow with time: a sample taken from the start of the id order would hold only the early ones.
        var cohort = Unique("wave");
        foreach (var wave in new[] { "early", "late" })
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Profiles.IdentifyAsync(new IdentifyRequest
            {
                Identifiers = { Email(wave) },
                Traits = new ProfileTraits { CustomAttributes = { ["wave"] = $"{cohort}-{wave}" } },
            }).ResponseAsync));
        }

        var late = Rule($"attribute(\"wave\") == \"{cohort}-late\"");
        var first = await Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = late, SampleSize = 100 });
        var again = await Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = late, SampleSize = 100 });
        Assert.Equal(100, first.Sampled);
        // Late customers are 200 of the base (at least 400 customers): a uniform sample of 100 holds some, and not all.
        Assert.InRange(first.Matched, 10, 80);
        Assert.Equal(first.Matched, again.Matched);
    }

    [Fact]
    public async Task An_invalid_rule_or_sample_size_is_refused_with_each_field_and_reason()
    {
        var unknownWindow = await RpcAssert.InvalidArgument(
            () => Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = Rule("count(purchase, fortnight) >= 1") }).ResponseAsync,
            "rule.all_of[0].expression");
        Assert.Contains("fortnight", unknownWindow.Single().Description);
        await RpcAssert.InvalidArgument(() => Insights.EstimateSegmentAsync(new EstimateSegmentRequest()).ResponseAsync, "rule.all_of");
        await RpcAssert.InvalidArgument(() => Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = Rule("returns >= 1"), SampleSize = -1 }).ResponseAsync, "sample_size");
        await RpcAssert.InvalidArgument(() => Insights.GetCustomerBaseAsync(new GetCustomerBaseRequest { SampleSize = 1_000_000 }).ResponseAsync, "sample_size");
        await RpcAssert.InvalidArgument(
            () => Insights.EstimateSegmentAsync(new EstimateSegmentRequest { Rule = Rule("returns >= 1"), RequiredConsent = new ActivationConsent { Purpose = ConsentPurpose.Marketing } }).ResponseAsync,
            "required_consent.channel");
    }

    private static SegmentRule Rule(string expression) => new() { AllOf = { new Condition { Expression = expression } } };
}
