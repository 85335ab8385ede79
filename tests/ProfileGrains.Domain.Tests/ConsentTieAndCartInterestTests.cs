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
