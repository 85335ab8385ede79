using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class ViewsTests
{
    private static readonly DateTimeOffset Created = Now.AddDays(-400);

    private static CustomerProfile Customer()
    {
        var p = NewProfile("cust-42", Created);
        p.AddIdentifiers([Email, new(IdentifierType.LoyaltyId, "LOY-7")], Created);
        p.ApplyTraits(
            Update(
                new ProfileTraits
                {
                    Name = new PersonName("Alice", "Martin"),
                    LoyaltyTier = "gold",
                    Consents = [Consent(ContactChannel.Sms, ConsentStatus.Denied, Now.AddDays(-3)), Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-3))],
                },
                "name",
                "loyalty_tier",
                "consents"),
            Now.AddDays(-3));

        p.Apply(Purchase("e1", "O1", Eur(100), Now.AddDays(-200), Channel.Store, "PARIS-1", Item("A", "shoes"), Item("B", "bags")), Now.AddDays(-200));
        p.Apply(Purchase("e2", "O2", Eur(50), Now.AddDays(-20), Channel.Web, null, Item("C", "shoes")), Now.AddDays(-20));
        p.Apply(Purchase("e3", "O3", Gbp(30.5m), Now.AddHours(-2), Channel.App), Now.AddHours(-2));
        p.Apply(Purchase("e4", "O4", Eur(25), Now.AddDays(-500), Channel.Store, "PARIS-1"), Now.AddDays(-1)); // very late arrival
        p.Apply(PageView("pv1", Now.AddMinutes(-5)), Now.AddMinutes(-5));
        p.Apply(PageView("pv2", Now.AddDays(-3)), Now.AddDays(-3));
        p.Apply(Product("v1", EventType.ProductView, "hats", Now.AddMinutes(-1)), Now.AddMinutes(-1));
        p.SetSegments(["vip", "buyers"], Now);
        return p;
    }

    [Fact]
    public void ProfileView_CarriesIdentityTraitsAndSegments()
    {
        var p = Customer();
        var view = ProfileView.From(p, Now, new ScoringOptions());

        Assert.Equal("cust-42", view.CustomerId);
        Assert.Equal(Created, view.CreatedAt);
        Assert.NotNull(p.UpdatedAt);
        Assert.Equal(p.UpdatedAt, view.UpdatedAt);
        Assert.Equal([Email, new CustomerIdentifier(IdentifierType.LoyaltyId, "LOY-7")], view.Identifiers);
        Assert.Same(p.Traits, view.Traits);
        Assert.Equal(["buyers", "vip"], view.SegmentIds);
        Assert.Equal(["shoes", "bags", "hats"], view.TopCategories);
    }

    [Fact]
    public void ProfileView_CountersHaveEveryWindow_WithCountsAsOfNow()
    {
        var view = ProfileView.From(Customer(), Now, new ScoringOptions());

        Assert.Equal([EventType.Purchase, EventType.ProductView, EventType.PageView], view.Counters.Select(c => c.EventType));

        var purchases = view.Counters[0];
        Assert.Equal(Enum.GetValues<CounterWindow>(), purchases.Windows.Keys.Order());
        Assert.Equal(0, purchases.Windows[CounterWindow.OneHour]);
        Assert.Equal(1, purchases.Windows[CounterWindow.OneDay]);
        Assert.Equal(1, purchases.Windows[CounterWindow.SevenDays]);
        Assert.Equal(2, purchases.Windows[CounterWindow.ThirtyDays]);
        Assert.Equal(2, purchases.Windows[CounterWindow.NinetyDays]);
        Assert.Equal(3, purchases.Windows[CounterWindow.OneYear]);
        Assert.Equal(4, purchases.Windows[CounterWindow.Lifetime]);
        Assert.Equal(Now.AddHours(-2), purchases.LastOccurredAt);

        var pages = view.Counters[2];
        Assert.Equal(1, pages.Windows[CounterWindow.OneHour]);
        Assert.Equal(2, pages.Windows[CounterWindow.SevenDays]);
        Assert.Equal(Now.AddMinutes(-5), pages.LastOccurredAt);
    }

    [Fact]
    public void ProfileView_CountsDependOnTheViewTime()
    {
        var later = ProfileView.From(Customer(), Now.AddDays(2), new ScoringOptions());
        var pages = later.Counters.Single(c => c.EventType == EventType.PageView);
        Assert.Equal(0, pages.Windows[CounterWindow.OneDay]);
        Assert.Equal(2, pages.Windows[CounterWindow.SevenDays]);
    }

    [Fact]
    public void ProfileView_TransactionsAreSortedAndTotalled()
    {
        var t = ProfileView.From(Customer(), Now, new ScoringOptions()).Transactions;

        Assert.Equal(Now.AddDays(-500), t.FirstPurchaseAt);
        Assert.Equal(Now.AddHours(-2), t.LastPurchaseAt);
        Assert.Equal(Gbp(30.5m), t.LastPurchaseTotal);
        Assert.Equal(4, t.OrderCount);
        Assert.Equal([Eur(175), Gbp(30.5m)], t.TotalSpend);
        Assert.Equal([Eur(58.33m), Gbp(30.5m)], t.AverageBasket);
        Assert.Equal("PARIS-1", t.PreferredStoreId);

        Assert.Equal([Channel.Web, Channel.App, Channel.Store], t.ByChannel.Select(c => c.Channel));
        Assert.Equal(1, t.ByChannel[0].OrderCount);
        Assert.Equal([Eur(50)], t.ByChannel[0].Spend);
        Assert.Equal([Gbp(30.5m)], t.ByChannel[1].Spend);
        Assert.Equal(2, t.ByChannel[2].OrderCount);
        Assert.Equal([Eur(125)], t.ByChannel[2].Spend);
    }

    [Fact]
    public void ProfileView_IsASnapshot_LaterChangesDoNotShowThrough()
    {
        var p = Customer();
        var view = ProfileView.From(p, Now, new ScoringOptions());

        p.AddIdentifiers([new CustomerIdentifier(IdentifierType.CrmId, "CRM-1")], Now);
        p.SetSegments(["other"], Now);
        p.Apply(Purchase("e9", "O9", Eur(1), Now), Now);

        Assert.Equal(2, view.Identifiers.Count);
        Assert.Equal(["buyers", "vip"], view.SegmentIds);
        Assert.Equal(4, view.Transactions.OrderCount);
        Assert.Equal(4, view.Counters[0].Windows[CounterWindow.Lifetime]);
    }

    [Fact]
    public void ProfileView_OfAProfileNotYetCreated_UsesNowForItsDates()
    {
        var view = ProfileView.From(new CustomerProfile(), Now, new ScoringOptions());
        Assert.Equal(Now, view.CreatedAt);
        Assert.Equal(Now, view.UpdatedAt);
        Assert.Empty(view.Counters);
        Assert.Empty(view.Transactions.TotalSpend);
        Assert.Equal(0, view.Transactions.OrderCount);
        Assert.Null(view.Transactions.PreferredStoreId);
    }

    [Fact]
    public void CheckoutView_CarriesWhatATillNeeds()
    {
        var view = CheckoutView.From(Customer(), Now, new ScoringOptions());

        Assert.Equal("cust-42", view.CustomerId);
        Assert.Equal(new PersonName("Alice", "Martin"), view.Name);
        Assert.Equal("LOY-7", view.LoyaltyId);
        Assert.Equal("gold", view.LoyaltyTier);
        Assert.Equal([ContactChannel.Email, ContactChannel.Sms], view.Consents.Select(c => c.Channel));
        Assert.Equal([ConsentStatus.Granted, ConsentStatus.Denied], view.Consents.Select(c => c.Status));
        Assert.Equal(Now.AddHours(-2), view.LastPurchaseAt);
        Assert.Equal(Gbp(30.5m), view.LastPurchaseTotal);
        Assert.Equal([Eur(175), Gbp(30.5m)], view.LifetimeSpend);
        Assert.Equal(4, view.OrderCount);
        Assert.Equal("PARIS-1", view.PreferredStoreId);
        Assert.Equal(["buyers", "vip"], view.SegmentIds);
    }

    [Fact]
    public void CheckoutView_OfANewCustomer_IsEmpty()
    {
        var view = CheckoutView.From(NewProfile("cust-0"), Now, new ScoringOptions());
        Assert.Equal("cust-0", view.CustomerId);
        Assert.Null(view.LoyaltyId);
        Assert.Null(view.LoyaltyTier);
        Assert.Empty(view.Consents);
        Assert.Null(view.LastPurchaseAt);
        Assert.Null(view.LastPurchaseTotal);
        Assert.Empty(view.LifetimeSpend);
        Assert.Equal(0, view.OrderCount);
        Assert.Null(view.PreferredStoreId);
        Assert.Empty(view.SegmentIds);
        Assert.Empty(view.FavouriteCategories);
        Assert.Null(view.NextBestCategory);
        Assert.Equal(RfmSegment.None, view.Scores.Segment);
    }

    [Fact]
    public void The_next_offer_is_the_strongest_recent_interest_not_yet_bought_and_else_the_strongest()
    {
        var p = NewProfile();
        p.Apply(Purchase("b1", "o1", Eur(50m), Now.AddHours(-1), Channel.Web, null, Item("S1", "shoes")), Now);
        p.Apply(Product("v1", EventType.ProductView, "bags", Now.AddHours(-5)), Now);
        p.Apply(Product("v2", EventType.ProductView, "hats", Now.AddDays(-60)), Now);

        Assert.Equal("bags", NextBestOffer.Category(p, Now));

        p.Apply(Purchase("b2", "o2", Eur(20m), Now.AddMinutes(-30), Channel.Web, null, Item("B1", "bags")), Now);
        Assert.Equal("hats", NextBestOffer.Category(p, Now));

        p.Apply(Purchase("b3", "o3", Eur(20m), Now.AddMinutes(-20), Channel.Web, null, Item("H1", "hats")), Now);
        Assert.Equal(RecentInterests.Top(p.Interests.Categories, Now, 1)[0].Key, NextBestOffer.Category(p, Now));
    }
}
