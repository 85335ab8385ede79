using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class ConsentTieAndCartInterestTests
{
    [Theory]
    [InlineData(ConsentStatus.Granted, ConsentStatus.Denied)]
    [InlineData(ConsentStatus.Denied, ConsentStatus.Granted)]
    public void Two_decisions_at_the_same_instant_resolve_to_denied_whatever_the_arrival_order(ConsentStatus first, ConsentStatus second)
    {
        var merged = TraitsUpdater.MergeConsents(
            TraitsUpdater.MergeConsents([], [Consent(ContactChannel.Sms, first, Now)]),
            [Consent(ContactChannel.Sms, second, Now)]);

        Assert.Equal(ConsentStatus.Denied, Assert.Single(merged).Status);
    }

    [Theory]
    [InlineData(ConsentStatus.Granted, ConsentStatus.Withdrawn)]
    [InlineData(ConsentStatus.Withdrawn, ConsentStatus.Granted)]
    public void A_withdrawal_at_the_same_instant_as_a_grant_wins_like_a_denial(ConsentStatus first, ConsentStatus second)
    {
        var merged = TraitsUpdater.MergeConsents(
            TraitsUpdater.MergeConsents([], [Consent(ContactChannel.Email, first, Now)]),
            [Consent(ContactChannel.Email, second, Now)]);

        Assert.Equal(ConsentStatus.Withdrawn, Assert.Single(merged).Status);
    }

    [Fact]
    public void Each_purpose_keeps_its_own_decision_and_a_decision_for_every_channel_counts_on_each_unless_a_later_one_names_it()
    {
        var profile = NewProfile();
        var update = new TraitsUpdate(
            ProfileTraits.Empty with
            {
                Consents =
                [
                    new ConsentDecision(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-3), "signup"),
                    new ConsentDecision(ContactChannel.All, ConsentStatus.Denied, Now.AddDays(-2), "banner", ConsentPurpose.Personalization),
                    new ConsentDecision(ContactChannel.Push, ConsentStatus.Granted, Now.AddDays(-1), "app", ConsentPurpose.Personalization),
                ],
            },
            ["consents"]);

        Assert.Null(profile.ApplyTraits(update, Now));

        Assert.Equal(3, profile.Traits.Consents.Count);
        Assert.Equal(ConsentStatus.Granted, profile.ConsentFor(ContactChannel.Email)); // marketing
        Assert.Equal(ConsentStatus.Denied, profile.ConsentRecordFor(ContactChannel.Email, ConsentPurpose.Personalization)!.Status); // from "every channel"
        Assert.Equal(ConsentStatus.Granted, profile.ConsentRecordFor(ContactChannel.Push, ConsentPurpose.Personalization)!.Status); // named later
        Assert.Null(profile.ConsentRecordFor(ContactChannel.Email, ConsentPurpose.PartnerSharing));
        Assert.Equal(3, profile.ConsentHistory.Count);
    }

    [Fact]
    public void The_history_keeps_each_decision_once_and_drops_the_oldest_beyond_its_bound()
    {
        var profile = NewProfile();
        for (var i = 0; i < Limits.MaxConsentHistory + 10; i++)
        {
            var decision = new ConsentDecision(ContactChannel.Email, i % 2 == 0 ? ConsentStatus.Granted : ConsentStatus.Withdrawn, Now.AddMinutes(i), "prefs", RequestId: $"r{i}");
            profile.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Consents = [decision] }, ["consents"]), Now.AddMinutes(i));
            profile.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Consents = [decision] }, ["consents"]), Now.AddMinutes(i)); // a retry
        }

        Assert.Equal(Limits.MaxConsentHistory, profile.ConsentHistory.Count);
        Assert.Equal("r10", profile.ConsentHistory[0].RequestId);
        Assert.Equal($"r{Limits.MaxConsentHistory + 9}", profile.ConsentHistory[^1].RequestId);
        Assert.Equal(profile.ConsentHistory[^1], Assert.Single(profile.Traits.Consents));
    }

    [Theory]
    [InlineData(ContactChannel.Email, ConsentPurpose.Marketing, null, false)]
    [InlineData(ContactChannel.Post, ConsentPurpose.Marketing, null, true)] // opt-out channel: allowed until refused
    [InlineData(ContactChannel.Post, ConsentPurpose.Marketing, ConsentStatus.Withdrawn, false)]
    [InlineData(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Granted, true)]
    [InlineData(ContactChannel.Email, ConsentPurpose.Marketing, ConsentStatus.Denied, false)]
    [InlineData(ContactChannel.All, ConsentPurpose.PartnerSharing, null, false)]
    [InlineData(ContactChannel.All, ConsentPurpose.PartnerSharing, ConsentStatus.Granted, true)]
    public void A_use_is_permitted_by_the_decision_in_force_or_without_one_only_for_opt_out_marketing(ContactChannel channel, ConsentPurpose purpose, ConsentStatus? decided, bool permitted)
    {
        var profile = NewProfile();
        if (decided is { } status)
        {
            profile.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Consents = [new ConsentDecision(channel, status, Now, "prefs", purpose)] }, ["consents"]), Now);
        }

        Assert.Equal(permitted, new ActivationConsent(channel, purpose).PermittedBy(profile));
    }

    [Fact]
    public void Bound_to_the_policy_table_a_segment_reads_silence_as_CanContact_does()
    {
        var consumer = NewProfile();
        var business = NewProfile();
        business.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Company = new Company("Boulangerie Martin", null, null, null, null) }, ["company"]), Now);
        var phone = new ActivationConsent(ContactChannel.Phone, ConsentPurpose.Marketing).BoundTo(new ContactPolicyOptions());

        // Phone marketing is opt-out for business contacts, opt-in for consumers (the default table).
        Assert.True(phone.PermittedBy(business));
        Assert.False(phone.PermittedBy(consumer));
        Assert.False(new ActivationConsent(ContactChannel.Phone, ConsentPurpose.Marketing).PermittedBy(business)); // unbound: strict

        // A table making e-mail opt-out for consumers; a refusal still wins, and other purposes still need a grant.
        var lenient = new ContactPolicyOptions();
        lenient.Consumers[ContactChannel.Email] = ConsentRule.OptOut;
        Assert.True(new ActivationConsent(ContactChannel.Email, ConsentPurpose.Marketing).BoundTo(lenient).PermittedBy(consumer));
        Assert.False(new ActivationConsent(ContactChannel.Email, ConsentPurpose.Profiling).BoundTo(lenient).PermittedBy(consumer));
        business.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Consents = [new ConsentDecision(ContactChannel.Phone, ConsentStatus.Withdrawn, Now, "prefs")] }, ["consents"]), Now);
        Assert.False(phone.PermittedBy(business));
    }

    [Fact]
    public void The_rule_comes_from_the_customers_audience_and_the_channel_and_can_be_configured()
    {
        var consumer = NewProfile();
        var business = NewProfile("cust-2");
        business.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Company = new Company("Boulangerie Martin", 12, null, "SARL", "food") }, ["company"]), Now);
        var defaults = new ContactPolicyOptions();

        var consumerPhone = ContactPolicy.Decide(consumer, ContactChannel.Phone, Now, defaults);
        var businessPhone = ContactPolicy.Decide(business, ContactChannel.Phone, Now, defaults);
        var businessEmail = ContactPolicy.Decide(business, ContactChannel.Email, Now, defaults);

        Assert.Equal((ContactVerdict.NoConsent, "consumer, phone: opt-in"), (consumerPhone.Verdict, consumerPhone.Rule));
        Assert.Equal((ContactVerdict.Allowed, "business contact, phone: opt-out"), (businessPhone.Verdict, businessPhone.Rule));
        Assert.Equal(ContactVerdict.NoConsent, businessEmail.Verdict);

        var stricter = new ContactPolicyOptions();
        stricter.Consumers[ContactChannel.Post] = ConsentRule.OptIn;
        Assert.Equal(ContactVerdict.Allowed, ContactPolicy.Decide(consumer, ContactChannel.Post, Now, defaults).Verdict);
        Assert.Equal(ContactVerdict.NoConsent, ContactPolicy.Decide(consumer, ContactChannel.Post, Now, stricter).Verdict);

        // An objection always wins, opt-out or not.
        business.ApplyTraits(new TraitsUpdate(ProfileTraits.Empty with { Consents = [new ConsentDecision(ContactChannel.Phone, ConsentStatus.Denied, Now, "call")] }, ["consents"]), Now);
        Assert.Equal(ContactVerdict.NoConsent, ContactPolicy.Decide(business, ContactChannel.Phone, Now, defaults).Verdict);
    }

    [Fact]
    public void Removing_from_the_cart_does_not_raise_interest_in_a_category()
    {
        var profile = NewProfile();
        profile.Apply(Product("v1", EventType.ProductView, "shoes", Now), Now);
        profile.Apply(Product("r1", EventType.RemoveFromCart, "bags", Now), Now);
        profile.Apply(Product("r2", EventType.RemoveFromCart, "bags", Now), Now);

        Assert.Equal(["shoes"], profile.TopCategories());
    }
}
