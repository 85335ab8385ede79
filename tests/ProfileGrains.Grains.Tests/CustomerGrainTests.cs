using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using static ProfileGrains.TestSupport.GrainTestData;

namespace ProfileGrains.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CustomerGrainTests(ClusterFixture fixture)
{
    private DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    [Fact]
    public async Task An_unknown_customer_has_no_profile()
    {
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(Guid.NewGuid().ToString("N"));

        Assert.Null(await customer.GetProfile());
        Assert.Null(await customer.GetCheckoutSummary());
        Assert.Null(await customer.GetSegments());
        Assert.Null((await customer.UpdateTraits(new TraitsUpdate(ProfileTraits.Empty, ["locale"]))).Profile);
    }

    [Fact]
    public async Task Counters_follow_the_clock_across_window_boundaries()
    {
        var router = fixture.Router;
        var email = Email();
        var result = await router.Track(PageView(email, Now.AddMinutes(-30)));
        await router.Track(PageView(email, Now.AddHours(-5)));
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(result.CustomerId);

        var counts = (await customer.GetProfile())!.Counters.Single().Windows;

        Assert.Equal(1, counts[CounterWindow.OneHour]);
        Assert.Equal(2, counts[CounterWindow.OneDay]);
        Assert.Equal(2, counts[CounterWindow.Lifetime]);
    }

    [Fact]
    public async Task A_traits_update_that_breaks_a_limit_changes_nothing()
    {
        var router = fixture.Router;
        var attributes = Enumerable.Range(0, Limits.MaxCustomAttributes).ToDictionary(i => $"k{i}", i => "v");
        var created = await router.Identify([Email()], new TraitsUpdate(ProfileTraits.Empty with { CustomAttributes = attributes }, ["custom_attributes"]));
        var customer = fixture.Grains.GetGrain<ICustomerGrain>(created.CustomerId);

        var extra = new Dictionary<string, string> { ["one-too-many"] = "v" };
        var result = await customer.UpdateTraits(new TraitsUpdate(ProfileTraits.Empty with { CustomAttributes = extra }, ["custom_attributes.one-too-many"]));

        Assert.NotNull(result.Error);
        var profile = await customer.GetProfile();
        Assert.Equal(Limits.MaxCustomAttributes, profile!.Traits.CustomAttributes.Count);
        Assert.False(profile.Traits.CustomAttributes.ContainsKey("one-too-many"));
    }

    [Fact]
    public async Task An_identify_refused_for_a_limit_links_nothing()
    {
        var router = fixture.Router;
        var email = Email();
        var attributes = Enumerable.Range(0, Limits.MaxCustomAttributes).ToDictionary(i => $"k{i}", i => "v");
        var created = await router.Identify([email], new TraitsUpdate(ProfileTraits.Empty with { CustomAttributes = attributes }, ["custom_attributes"]));
        var newcomer = Loyalty();

        var extra = new Dictionary<string, string> { ["one-too-many"] = "v" };
        var refused = await router.Identify([email, newcomer], new TraitsUpdate(ProfileTraits.Empty with { CustomAttributes = extra }, ["custom_attributes.one-too-many"]));

        Assert.NotNull(refused.TraitsError);
        Assert.Null(await router.Resolve(newcomer));
        var profile = await fixture.Grains.GetGrain<ICustomerGrain>(created.CustomerId).GetProfile();
        Assert.DoesNotContain(newcomer, profile!.Identifiers);
    }

    [Fact]
    public async Task State_survives_deactivation()
    {
        var router = fixture.Router;
        var email = Email();
        var result = await router.Track(Purchase(email, Now.AddMinutes(-10), 42.5m));
        var traits = ProfileTraits.Empty with { LoyaltyTier = "gold" };
        await fixture.Grains.GetGrain<ICustomerGrain>(result.CustomerId).UpdateTraits(new TraitsUpdate(traits, ["loyalty_tier"]));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(result.CustomerId, await router.Resolve(email));
        var summary = await fixture.Grains.GetGrain<ICustomerGrain>(result.CustomerId).GetCheckoutSummary();
        Assert.NotNull(summary);
        Assert.Equal(1, summary.OrderCount);
        Assert.Equal("gold", summary.LoyaltyTier);
        Assert.Equal(new Money("EUR", 42.5m), Assert.Single(summary.LifetimeSpend));
        Assert.Equal(result.CustomerId, await router.Resolve(email));
        var retry = await router.Track(Purchase(email, Now.AddMinutes(-10), 42.5m, orderId: "will-be-new"));
        Assert.Equal(TrackOutcome.Accepted, retry.Outcome);
    }
}
