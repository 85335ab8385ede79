using ProfileGrains.Durability.Tests.Infrastructure;
using ProfileGrains.Protos.V1;
using static ProfileGrains.TestSupport.TestData;

namespace ProfileGrains.Durability.Tests;

/// <summary>A full restart of the engine brings back every profile, identity mapping, merge and segment.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RestartTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Everything_acknowledged_before_a_restart_is_there_after_it()
    {
        var database = await postgres.NewDatabaseAsync();
        var serviceId = Unique("restart");
        var (_, _, phone) = FrenchMobile();
        var loyalty = Loyalty();
        var email = Email("restart");
        var device = Anonymous();
        var purchaseAt = Now().AddDays(-2);
        string customerId;
        string deviceCustomerId;
        Profile before;
        Timeline timelineBefore;

        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var profiles = engine.Profiles;
            customerId = (await profiles.IdentifyAsync(new IdentifyRequest
            {
                Identifiers = { loyalty, Phone(phone) },
                Traits = new ProfileTraits
                {
                    Name = new PersonName { GivenName = "Zoé", FamilyName = "Lefèvre" },
                    Consents = { Consent(ContactChannel.Email, ConsentStatus.Granted, Now().AddDays(-10)) },
                },
            })).CustomerId;
            await profiles.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 120m, purchaseAt, orderId: "order-restart-1", category: "shoes") });
            await profiles.TrackAsync(new TrackRequest { Event = Event(EventType.PageView, email, loyalty) });

            // A second record that turns out to be the same person: merged before the restart.
            deviceCustomerId = (await profiles.TrackAsync(new TrackRequest { Event = Event(EventType.ProductView, device) })).CustomerId;
            var merge = await profiles.IdentifyAsync(new IdentifyRequest { Identifiers = { device, email } });
            Assert.Equal(customerId, merge.CustomerId);
            Assert.Contains(deviceCustomerId, merge.MergedCustomerIds);

            await engine.Segments.PutSegmentAsync(new PutSegmentRequest
            {
                Segment = new Segment
                {
                    SegmentId = "restart-buyers",
                    Name = "Buyers",
                    Rule = new SegmentRule { AllOf = { new Condition { Expression = "count(purchase, 30d) >= 1" } } },
                },
            });
            before = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
            timelineBefore = await profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ById(customerId) });
            Assert.Equal(3, timelineBefore.Entries.Count);
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            var profiles = engine.Profiles;
            var after = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
            Assert.Equal(before.Identifiers, after.Identifiers);
            Assert.Equal(before.Traits, after.Traits);
            Assert.Equal(before.Transactions, after.Transactions);
            Assert.Equal(before.Counters, after.Counters);
            Assert.Equal(timelineBefore.Entries, (await profiles.GetTimelineAsync(new GetTimelineRequest { Customer = ById(customerId) })).Entries);
            Assert.Equal(1, Count(after, EventType.Purchase, CounterWindow._30D));
            Assert.Equal(1, Count(after, EventType.ProductView, CounterWindow._30D));

            foreach (var identifier in new[] { loyalty, Phone(phone), email, device })
            {
                var checkout = await profiles.LookupAsync(new LookupRequest { Identifier = identifier });
                Assert.Equal(customerId, checkout.CustomerId);
            }

            // The merged record still forwards, and its history survived.
            var forwarded = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(deviceCustomerId) });
            Assert.Equal(customerId, forwarded.CustomerId);
            var explained = await profiles.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = device });
            Assert.Equal(customerId, explained.CustomerId);

            // Retrying the purchase acknowledged before the restart is still a duplicate.
            var retry = await profiles.TrackAsync(new TrackRequest { Event = Purchase(loyalty, 120m, purchaseAt, orderId: "order-restart-1", category: "shoes") });
            Assert.Equal(TrackOutcome.Duplicate, retry.Outcome);

            var segment = await engine.Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = "restart-buyers" });
            Assert.Equal("count(purchase, 30d) >= 1", Assert.Single(segment.Rule.AllOf).Expression);
            Assert.Equal(SegmentBackfill.Types.Status.Done, segment.Backfill.Status);
            Assert.Equal(1, (await engine.Segments.CountSegmentMembersAsync(new CountSegmentMembersRequest { SegmentId = "restart-buyers" })).MemberCount);

            // A segment defined after the restart is back-filled from the customer directory in PostgreSQL, over
            // customers that are not in memory.
            await engine.Segments.PutSegmentAsync(new PutSegmentRequest
            {
                Segment = new Segment { SegmentId = "restart-zoe", Name = "Zoé", Rule = new SegmentRule { AllOf = { new Condition { Expression = "orders >= 1 and consent.email == granted" } } } },
            });
            Segment? backfilled = null;
            Assert.True(await Eventually(async () =>
            {
                backfilled = await engine.Segments.GetSegmentAsync(new GetSegmentRequest { SegmentId = "restart-zoe" });
                return backfilled.Backfill.Status == SegmentBackfill.Types.Status.Done;
            }, TimeSpan.FromSeconds(30)));
            // Two customers were ever created (one merged away, so it is not a member).
            Assert.Equal(2, backfilled!.Backfill.CustomersScanned);
            var members = await engine.Segments.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = "restart-zoe" });
            Assert.Equal([customerId], members.CustomerIds);

            // The merge made before the first restart turns out wrong: it is reversed after it.
            var unmerged = await profiles.UnmergeCustomersAsync(new UnmergeCustomersRequest { MergeId = $"{deviceCustomerId}>{customerId}", Reason = "shared tablet" });
            Assert.Equal(deviceCustomerId, unmerged.RestoredCustomerId);
        }

        await using (var engine = await DurableEngine.StartAsync(database, serviceId))
        {
            // The reversal is as durable as the merge was.
            var profiles = engine.Profiles;
            Assert.Equal(deviceCustomerId, (await profiles.LookupAsync(new LookupRequest { Identifier = device })).CustomerId);
            var restored = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(deviceCustomerId) });
            var survivor = await profiles.GetProfileAsync(new GetProfileRequest { Customer = ById(customerId) });
            Assert.Equal((1, 0), (Count(restored, EventType.ProductView, CounterWindow._30D), Count(survivor, EventType.ProductView, CounterWindow._30D)));
            Assert.Equal(1, Count(survivor, EventType.Purchase, CounterWindow._30D));
            Assert.DoesNotContain(survivor.Identifiers, i => i.Value == device.Value);
            Assert.Contains((await profiles.ExplainIdentityAsync(new ExplainIdentityRequest { Identifier = device })).Merges, m => m.MergeId == $"{deviceCustomerId}>{customerId}/undone");
        }
    }
}
