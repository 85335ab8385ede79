using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class ContactPolicyTests
{
    private static readonly ContactPolicyOptions Options = new();

    private static TrackedEvent Sent(string id, ContactChannel channel, DateTimeOffset at) =>
        Event(id, EventType.MessageSent, new MessagePayload(channel, "spring"), at, Channel.Email);

    private static CustomerProfile Consenting(params ContactChannel[] channels)
    {
        var profile = NewProfile();
        var consents = channels.Select(c => Consent(c, ConsentStatus.Granted, Now.AddDays(-30))).ToArray();
        Assert.Null(profile.ApplyTraits(Update(new ProfileTraits { Consents = consents }, "consents"), Now.AddDays(-30)));
        return profile;
    }

    [Theory]
    [InlineData(ContactChannel.Email, false)]
    [InlineData(ContactChannel.Sms, false)]
    [InlineData(ContactChannel.Phone, false)]
    [InlineData(ContactChannel.Push, false)]
    [InlineData(ContactChannel.Post, true)]
    public void Without_an_answer_only_opt_out_channels_are_allowed(ContactChannel channel, bool allowed)
    {
        var decision = ContactPolicy.Decide(NewProfile(), channel, Now, Options);
        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed ? ContactVerdict.Allowed : ContactVerdict.NoConsent, decision.Verdict);
    }

    [Fact]
    public void An_opt_out_forbids_even_the_post()
    {
        var profile = NewProfile();
        profile.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Post, ConsentStatus.Denied, Now.AddDays(-1))] }, "consents"), Now);
        var decision = ContactPolicy.Decide(profile, ContactChannel.Post, Now, Options);
        Assert.Equal(ContactVerdict.NoConsent, decision.Verdict);
        Assert.Contains("opted out", decision.Reason);
    }

    [Fact]
    public void The_cap_counts_messages_of_that_channel_in_its_window_and_says_when_contact_is_allowed_again()
    {
        var profile = Consenting(ContactChannel.Email, ContactChannel.Sms);
        profile.Apply(Sent("m1", ContactChannel.Email, Now.AddDays(-8)), Now);
        profile.Apply(Sent("m2", ContactChannel.Email, Now.AddDays(-5)), Now);
        profile.Apply(Sent("m3", ContactChannel.Email, Now.AddDays(-3)), Now);
        profile.Apply(Sent("s1", ContactChannel.Sms, Now.AddDays(-1)), Now);
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(Sent("m3", ContactChannel.Email, Now.AddDays(-3)), Now));

        var email = ContactPolicy.Decide(profile, ContactChannel.Email, Now, Options);
        Assert.Equal(ContactVerdict.Allowed, email.Verdict);
        Assert.Equal(2, email.SentInWindow);

        profile.Apply(Sent("m4", ContactChannel.Email, Now.AddHours(-1)), Now);
        var capped = ContactPolicy.Decide(profile, ContactChannel.Email, Now, Options);
        Assert.Equal(ContactVerdict.FrequencyCapped, capped.Verdict);
        Assert.Equal(3, capped.SentInWindow);
        // The message of five days ago leaves the 7-day window at the start of the day two days from now.
        Assert.Equal(new DateTimeOffset(Now.AddDays(-5).Date.AddDays(7), TimeSpan.Zero), capped.NextAllowedAt);
        Assert.True(ContactPolicy.Decide(profile, ContactChannel.Email, capped.NextAllowedAt!.Value, Options).Allowed);
        Assert.True(ContactPolicy.Decide(profile, ContactChannel.Sms, Now, Options).Allowed);
    }

    [Fact]
    public void A_message_counted_on_both_sides_of_a_merge_counts_once()
    {
        var survivor = Consenting(ContactChannel.Email);
        var absorbed = NewProfile("cust-2");
        survivor.Apply(Sent("m1", ContactChannel.Email, Now.AddDays(-1)), Now);
        absorbed.Apply(Sent("m1", ContactChannel.Email, Now.AddDays(-1)), Now);
        absorbed.Apply(Sent("m2", ContactChannel.Email, Now.AddDays(-2)), Now);

        survivor.Absorb(absorbed, new MergeRecord("cust-2>cust-1", "cust-2", Now, null, "test"), Now);

        Assert.Equal(2, ContactPolicy.Decide(survivor, ContactChannel.Email, Now, Options).SentInWindow);
    }
}

public sealed class RecentInterestsTests
{
    [Fact]
    public void Recent_and_strong_signals_rank_first_and_weights_halve_every_two_weeks()
    {
        var profile = NewProfile();
        profile.Apply(Product("v1", EventType.ProductView, "shoes", Now.AddDays(-28)), Now);
        profile.Apply(Product("v2", EventType.ProductView, "shoes", Now.AddDays(-28)), Now);
        profile.Apply(Product("v3", EventType.ProductView, "shoes", Now.AddDays(-28)), Now);
        profile.Apply(Product("c1", EventType.AddToCart, "bags", Now.AddDays(-1)), Now);

        var view = PersonalizationView.From(profile, Now, new ScoringOptions());

        Assert.Equal(["bags", "shoes"], view.TopCategories.Select(c => c.Key));
        // Three views four weeks ago: 3 × ¼.
        Assert.Equal(0.75, view.TopCategories[1].Score, 3);
        Assert.Equal(["SKU-1"], view.TopProducts.Select(p => p.Key));
    }

    [Fact]
    public void Interests_survive_a_merge_and_stay_bounded()
    {
        var survivor = NewProfile();
        var absorbed = NewProfile("cust-2");
        for (var i = 0; i < RecentInterests.Capacity + 20; i++)
        {
            absorbed.Apply(Product($"v{i}", EventType.ProductView, $"category-{i}", Now.AddMinutes(-i)), Now);
        }

        survivor.Apply(Product("c1", EventType.AddToCart, "bags", Now.AddDays(-1)), Now);
        survivor.Absorb(absorbed, new MergeRecord("cust-2>cust-1", "cust-2", Now, null, "test"), Now);

        Assert.Equal(RecentInterests.Capacity, survivor.Interests.Categories.Count);
        Assert.Contains("bags", survivor.Interests.Categories.Keys);
        Assert.Contains("category-0", survivor.Interests.Categories.Keys);
    }
}
