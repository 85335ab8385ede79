using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class MergeTests
{
    private static MergeRecord Record(string absorbed = "cust-2") =>
        new($"{absorbed}>cust-1", absorbed, Now, Email, Survivorship.SurvivorRule);

    [Fact]
    public void The_oldest_customer_id_survives_whatever_the_order()
    {
        var older = Guid.CreateVersion7(Now.AddDays(-2)).ToString("N");
        var newer = Guid.CreateVersion7(Now).ToString("N");

        Assert.Equal(older, Survivorship.ChooseSurvivor(older, newer));
        Assert.Equal(older, Survivorship.ChooseSurvivor(newer, older));
    }

    [Fact]
    public void Counters_and_orders_add_up_and_what_both_sides_counted_is_counted_once()
    {
        var survivor = NewProfile("cust-1");
        var absorbed = NewProfile("cust-2");
        survivor.Apply(PageView("only-1", Now.AddMinutes(-5)), Now);
        survivor.Apply(PageView("both", Now.AddMinutes(-4)), Now);
        survivor.Apply(Purchase("p-1", "order-both", Eur(30m), Now.AddDays(-3), Channel.Store, "store-1"), Now);
        absorbed.Apply(PageView("both", Now.AddMinutes(-4)), Now);
        absorbed.Apply(PageView("only-2", Now.AddMinutes(-3)), Now);
        // The same order under another event id (a till and a web shop both reported it).
        absorbed.Apply(Purchase("p-2", "order-both", Eur(30m), Now.AddDays(-3), Channel.Store, "store-1"), Now);
        absorbed.Apply(Purchase("p-3", "order-2", Eur(12.5m), Now.AddDays(-1)), Now);

        survivor.Absorb(absorbed, Record(), Now);

        Assert.Equal(3, survivor.Counters.Count(EventType.PageView, CounterWindow.OneHour, Now));
        Assert.Equal(3, survivor.Counters.Count(EventType.PageView, CounterWindow.Lifetime, Now));
        Assert.Equal(2, survivor.Counters.Count(EventType.Purchase, CounterWindow.Lifetime, Now));
        Assert.Equal(2, survivor.Counters.Count(EventType.Purchase, CounterWindow.SevenDays, Now));
        Assert.Equal(2, survivor.Transactions.OrderCount);
        Assert.Equal(42.5m, survivor.Transactions.SpendByCurrency["EUR"]);
        Assert.Equal(1, survivor.Transactions.ByChannel[Channel.Store].OrderCount);
        Assert.Equal(Now.AddDays(-1), survivor.Transactions.LastPurchaseAt);
        Assert.Equal(Now.AddDays(-3), survivor.Transactions.FirstPurchaseAt);
        Assert.Equal(TrackOutcome.Duplicate, survivor.Apply(PageView("only-2", Now), Now));
    }

    [Fact]
    public void Absorbing_the_same_merge_twice_changes_nothing()
    {
        var survivor = NewProfile("cust-1");
        var absorbed = NewProfile("cust-2");
        absorbed.Apply(PageView("e-1", Now.AddMinutes(-1)), Now);

        survivor.Absorb(absorbed, Record(), Now);
        survivor.Absorb(absorbed, Record(), Now);

        Assert.Equal(1, survivor.Counters.Count(EventType.PageView, CounterWindow.Lifetime, Now));
        Assert.Single(survivor.MergeHistory);
    }

    [Fact]
    public void Traits_follow_the_most_recent_record_field_by_field_and_sets_unite()
    {
        var survivor = NewProfile("cust-1");
        var absorbed = NewProfile("cust-2");
        survivor.ApplyTraits(Update(ProfileTraits.Empty with
        {
            Name = new PersonName("Hélène", "Durand"),
            Locale = "fr-FR",
            Preferences = Preferences.Empty with { Interests = ["running", "yoga"] },
            CustomAttributes = new Dictionary<string, string> { ["size"] = "M", ["club"] = "gold" },
        }, "name", "locale", "preferences.interests", "custom_attributes"), Now.AddDays(-10));
        absorbed.ApplyTraits(Update(ProfileTraits.Empty with
        {
            Name = new PersonName("Helene", null),
            Preferences = Preferences.Empty with { Interests = ["yoga", "tennis"] },
            CustomAttributes = new Dictionary<string, string> { ["size"] = "L" },
        }, "name", "preferences.interests", "custom_attributes"), Now.AddDays(-1));

        survivor.Absorb(absorbed, Record(), Now);

        Assert.Equal("Helene", survivor.Traits.Name.GivenName);
        Assert.Equal("Durand", survivor.Traits.Name.FamilyName);
        Assert.Equal("fr-FR", survivor.Traits.Locale);
        Assert.Equal(["yoga", "tennis", "running"], survivor.Traits.Preferences.Interests);
        Assert.Equal("L", survivor.Traits.CustomAttributes["size"]);
        Assert.Equal("gold", survivor.Traits.CustomAttributes["club"]);
    }

    [Fact]
    public void Consents_keep_the_latest_explicit_decision_and_unknown_never_wins()
    {
        var survivor = NewProfile("cust-1");
        var absorbed = NewProfile("cust-2");
        survivor.ApplyTraits(Update(ProfileTraits.Empty with
        {
            Consents = [Consent(ContactChannel.Email, ConsentStatus.Denied, Now.AddDays(-1)), Consent(ContactChannel.Sms, ConsentStatus.Granted, Now.AddDays(-30))],
        }, "consents"), Now.AddDays(-20));
        absorbed.ApplyTraits(Update(ProfileTraits.Empty with
        {
            Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-5)), Consent(ContactChannel.Sms, ConsentStatus.Denied, Now.AddDays(-2))],
        }, "consents"), Now.AddDays(-2));

        survivor.Absorb(absorbed, Record(), Now);

        Assert.Equal(ConsentStatus.Denied, survivor.ConsentFor(ContactChannel.Email));
        Assert.Equal(ConsentStatus.Denied, survivor.ConsentFor(ContactChannel.Sms));
    }

    [Fact]
    public void A_merged_record_forwards_and_keeps_its_data_until_cleared()
    {
        var absorbed = NewProfile("cust-2");
        absorbed.AddIdentifiers([Email], Now);

        absorbed.BeginMergeInto("cust-1", Now);
        absorbed.BeginMergeInto("cust-9", Now);

        Assert.Equal("cust-1", absorbed.MergedInto);
        Assert.Single(absorbed.Identifiers);
        absorbed.ClearAfterMerge();
        Assert.Empty(absorbed.Identifiers);
        Assert.Equal("cust-1", absorbed.MergedInto);
    }
}
