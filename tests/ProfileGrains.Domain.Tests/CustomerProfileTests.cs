using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public class CustomerProfileTests
{
    [Fact]
    public void EnsureCreated_CreatesOnce()
    {
        var profile = new CustomerProfile();
        Assert.False(profile.Exists);

        Assert.True(profile.EnsureCreated("cust-1", Now));
        Assert.True(profile.Exists);
        Assert.Equal("cust-1", profile.CustomerId);
        Assert.Equal(Now, profile.CreatedAt);
        Assert.Equal(Now, profile.UpdatedAt);

        Assert.False(profile.EnsureCreated("cust-2", Now.AddDays(1)));
        Assert.Equal("cust-1", profile.CustomerId);
        Assert.Equal(Now, profile.CreatedAt);
        Assert.Equal(Now, profile.UpdatedAt);
    }

    [Fact]
    public void Apply_SameEventIdTwice_IsCountedOnce()
    {
        var profile = NewProfile();
        var e = Purchase("evt-1", "ORD-1", Eur(100), Now.AddMinutes(-2));

        Assert.Equal(TrackOutcome.Accepted, profile.Apply(e, Now));
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(e, Now.AddMinutes(1)));

        Assert.Equal(1, profile.Counters.Count(EventType.Purchase, CounterWindow.Lifetime, Now));
        Assert.Equal(1, profile.Transactions.OrderCount);
        Assert.Equal(100m, profile.Transactions.SpendByCurrency["EUR"]);
        Assert.Equal(Now, profile.UpdatedAt);
    }

    [Fact]
    public void Apply_NonPurchaseRetry_IsCountedOnce()
    {
        var profile = NewProfile();
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(PageView("pv-1", Now), Now));
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(PageView("pv-1", Now.AddSeconds(-30)), Now));
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(PageView("pv-2", Now), Now));
        Assert.Equal(2, profile.Counters.Count(EventType.PageView, CounterWindow.OneHour, Now));
    }

    [Fact]
    public void Apply_SameOrderIdUnderANewEventId_IsADuplicate()
    {
        var profile = NewProfile();
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase("evt-1", "ORD-1", Eur(100), Now), Now));
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(Purchase("evt-2", "ORD-1", Eur(100), Now.AddMinutes(1)), Now.AddMinutes(1)));

        Assert.Equal(1, profile.Transactions.OrderCount);
        Assert.Equal(100m, profile.Transactions.SpendByCurrency["EUR"]);
        Assert.Equal(1, profile.Counters.Count(EventType.Purchase, CounterWindow.Lifetime, Now));
        Assert.Equal(Now, profile.UpdatedAt);
    }

    [Fact]
    public void Apply_RecognisesIdsRememberedInTheStoredKeyFormat()
    {
        // State written earlier holds digests of "e:<event id>" and "o:<order id>": retries of those must stay duplicates.
        var profile = NewProfile();
        Assert.True(profile.Dedupe.TryAdd("e:evt-1"));
        Assert.True(profile.Dedupe.TryAdd("o:ORD-1"));

        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(PageView("evt-1", Now), Now));
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(Purchase("evt-2", "ORD-1", Eur(10), Now), Now));
        Assert.Equal(0, profile.Transactions.OrderCount);

        Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase("evt-3", "ORD-3", Eur(10), Now), Now));
        Assert.True(profile.Dedupe.Contains("e:evt-3"));
        Assert.True(profile.Dedupe.Contains("o:ORD-3"));
    }

    [Fact]
    public void Apply_EventRetry_IsRecognisedUntil512NewerEvents()
    {
        var profile = NewProfile();
        var first = PageView("pv-first", Now);
        profile.Apply(first, Now);
        for (var i = 0; i < Limits.DedupeMemoryPerCustomer - 1; i++)
        {
            profile.Apply(PageView("pv-" + i, Now), Now);
        }

        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(first, Now));

        profile.Apply(PageView("pv-one-more", Now), Now);
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(first, Now)); // the documented bound: older retries count again
    }

    [Fact]
    public void Apply_PurchaseRetry_IsRecognisedUntil256NewerPurchases_BecauseEachRemembersTwoIds()
    {
        var profile = NewProfile();
        var first = Purchase("evt-first", "ORD-first", Eur(10), Now);
        profile.Apply(first, Now);
        for (var i = 0; i < (Limits.DedupeMemoryPerCustomer / 2) - 1; i++)
        {
            profile.Apply(Purchase("evt-" + i, "ORD-" + i, Eur(1), Now), Now);
        }

        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(first, Now));
        Assert.Equal(TrackOutcome.Duplicate, profile.Apply(Purchase("evt-other", "ORD-first", Eur(10), Now), Now));

        profile.Apply(Purchase("evt-last", "ORD-last", Eur(1), Now), Now);
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(first, Now));
    }

    [Fact]
    public void Apply_DifferentOrders_AreBothCounted()
    {
        var profile = NewProfile();
        profile.Apply(Purchase("evt-1", "ORD-1", Eur(100), Now), Now);
        profile.Apply(Purchase("evt-2", "ORD-2", Eur(50), Now), Now);
        Assert.Equal(2, profile.Transactions.OrderCount);
        Assert.Equal(150m, profile.Transactions.SpendByCurrency["EUR"]);
    }

    [Fact]
    public void Apply_EventIdsAndOrderIds_DoNotCollide()
    {
        var profile = NewProfile();
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(PageView("X-1", Now), Now));
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase("evt-9", "X-1", Eur(10), Now), Now));
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(PageView("ORD-7", Now), Now));
        Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase("evt-10", "ORD-7", Eur(10), Now), Now));
    }

    [Fact]
    public void Apply_AcceptedEvent_MovesUpdatedAtToNow()
    {
        var profile = NewProfile(createdAt: Now.AddDays(-1));
        profile.Apply(PageView("pv-1", Now.AddHours(-3)), Now);
        Assert.Equal(Now, profile.UpdatedAt);
    }

    [Fact]
    public void Apply_CountsByOccurrenceTime()
    {
        var profile = NewProfile();
        profile.Apply(PageView("pv-old", Now.AddDays(-10)), Now);
        Assert.Equal(0, profile.Counters.Count(EventType.PageView, CounterWindow.SevenDays, Now));
        Assert.Equal(1, profile.Counters.Count(EventType.PageView, CounterWindow.ThirtyDays, Now));
    }

    [Fact]
    public void CategoryAffinity_WeighsViewsOneCartAddsTwoAndPurchasedLinesThree()
    {
        var profile = NewProfile();
        profile.Apply(Product("v1", EventType.ProductView, "shoes", Now), Now);
        profile.Apply(Product("v2", EventType.ProductView, "shoes", Now), Now);
        profile.Apply(Product("c1", EventType.AddToCart, "bags", Now), Now);
        profile.Apply(Purchase("p1", "ORD-1", Eur(30), Now, items: [Item("A", "hats"), Item("B", "hats"), Item("C", null), Item("D", "")]), Now);

        Assert.Equal(2, profile.CategoryAffinity["shoes"]);
        Assert.Equal(2, profile.CategoryAffinity["bags"]);
        Assert.Equal(6, profile.CategoryAffinity["hats"]);
        Assert.Equal(3, profile.CategoryAffinity.Count); // items without a category are not tallied
        Assert.Equal(["hats", "bags", "shoes"], profile.TopCategories()); // ties by ordinal name
        Assert.Equal(["hats"], profile.TopCategories(1));
    }

    [Fact]
    public void CategoryAffinity_DuplicateEvent_DoesNotCountTwice()
    {
        var profile = NewProfile();
        var view = Product("v1", EventType.ProductView, "shoes", Now);
        profile.Apply(view, Now);
        profile.Apply(view, Now);
        Assert.Equal(1, profile.CategoryAffinity["shoes"]);
    }

    [Fact]
    public void CategoryAffinity_IsBoundedToMaxTrackedCategories()
    {
        var profile = NewProfile();
        for (var i = 0; i < Limits.MaxTrackedCategories + 10; i++)
        {
            profile.Apply(Product("v" + i, EventType.ProductView, "cat-" + i, Now), Now);
        }

        Assert.Equal(Limits.MaxTrackedCategories, profile.CategoryAffinity.Count);
        Assert.Contains("cat-" + (Limits.MaxTrackedCategories + 9), profile.CategoryAffinity.Keys);
    }

    [Fact]
    public void TopCategories_NoActivity_IsEmpty() => Assert.Empty(NewProfile().TopCategories());

    [Fact]
    public void AddIdentifiers_ReturnsOnlyTheNewOnes()
    {
        var profile = NewProfile(createdAt: Now.AddDays(-1));
        var email = new CustomerIdentifier(IdentifierType.Email, "a@example.com");
        var phone = new CustomerIdentifier(IdentifierType.Phone, "+33612345678");

        Assert.Equal([email], profile.AddIdentifiers([email], Now.AddHours(-1)));
        Assert.Equal([phone], profile.AddIdentifiers([email, phone, phone], Now));
        Assert.Equal([email, phone], profile.Identifiers);
        Assert.Equal(Now, profile.UpdatedAt);

        Assert.Empty(profile.AddIdentifiers([phone, email], Now.AddHours(1)));
        Assert.Equal(Now, profile.UpdatedAt); // nothing new: not an update
    }

    [Fact]
    public void AddIdentifiers_WhenFull_TheOldestAnonymousIdMakesRoom()
    {
        var profile = NewProfile();
        var ids = Enumerable.Range(0, Limits.MaxIdentifiersPerCustomer + 10)
            .Select(i => new CustomerIdentifier(IdentifierType.AnonymousId, "anon-" + i))
            .ToList();
        var late = new CustomerIdentifier(IdentifierType.Email, "late@example.com");

        Assert.Equal(ids, profile.AddIdentifiers(ids, Now));
        Assert.Equal([late], profile.AddIdentifiers([late], Now));

        Assert.Equal(Limits.MaxIdentifiersPerCustomer, profile.Identifiers.Count);
        Assert.Equal([.. ids.Skip(11), late], profile.Identifiers);
    }

    [Fact]
    public void AddIdentifiers_KeepsTheNewestAnonymousIdsUpToTheirCap_AndNeverEvictsAPersonIdentifier()
    {
        var profile = NewProfile();
        var email = new CustomerIdentifier(IdentifierType.Email, "kept@example.com");
        var devices = Enumerable.Range(0, 5).Select(i => new CustomerIdentifier(IdentifierType.AnonymousId, "device-" + i)).ToList();

        profile.AddIdentifiers([devices[0], email, .. devices.Skip(1)], Now, anonymousIdCap: 3);

        Assert.Equal([email, devices[2], devices[3], devices[4]], profile.Identifiers);
    }

    [Fact]
    public void AddIdentifiers_FullOfPersonIdentifiers_TakesNoMore()
    {
        var profile = NewProfile();
        var emails = Enumerable.Range(0, Limits.MaxIdentifiersPerCustomer).Select(i => new CustomerIdentifier(IdentifierType.Email, $"e{i}@example.com")).ToList();
        profile.AddIdentifiers(emails, Now);

        Assert.Empty(profile.AddIdentifiers([new CustomerIdentifier(IdentifierType.AnonymousId, "device")], Now));
        Assert.Equal(emails, profile.Identifiers);
    }

    [Fact]
    public void LoyaltyId_IsTheFirstLoyaltyIdentifier_OrNull()
    {
        var profile = NewProfile();
        Assert.Null(profile.LoyaltyId);
        profile.AddIdentifiers([Email, new(IdentifierType.LoyaltyId, "LOY-1"), new(IdentifierType.LoyaltyId, "LOY-2")], Now);
        Assert.Equal("LOY-1", profile.LoyaltyId);
    }

    [Fact]
    public void ApplyTraits_ChangesTraitsAndUpdatedAt()
    {
        var profile = NewProfile(createdAt: Now.AddDays(-1));
        Assert.Null(profile.ApplyTraits(Update(new ProfileTraits { Locale = "fr-FR" }, "locale"), Now));
        Assert.Equal("fr-FR", profile.Traits.Locale);
        Assert.Equal(Now, profile.UpdatedAt);
    }

    [Fact]
    public void ApplyTraits_EmptyUpdate_ChangesNothing()
    {
        var profile = NewProfile(createdAt: Now.AddDays(-1));
        var before = profile.Traits;
        Assert.Null(profile.ApplyTraits(Update(new ProfileTraits { Locale = "fr-FR" }), Now));
        Assert.Same(before, profile.Traits);
        Assert.Equal(Now.AddDays(-1), profile.UpdatedAt);
    }

    [Fact]
    public void ApplyTraits_OverTheCustomAttributeLimit_ReturnsAnErrorAndLeavesTraitsUnchanged()
    {
        var profile = NewProfile(createdAt: Now.AddDays(-1));
        var full = Enumerable.Range(0, Limits.MaxCustomAttributes).ToDictionary(i => "k" + i, i => "v" + i);
        Assert.Null(profile.ApplyTraits(Update(new ProfileTraits { CustomAttributes = full }, "custom_attributes"), Now.AddHours(-1)));
        Assert.Equal(Limits.MaxCustomAttributes, profile.Traits.CustomAttributes.Count);
        var before = profile.Traits;

        var extra = Update(new ProfileTraits { CustomAttributes = new Dictionary<string, string> { ["one-more"] = "x" }, Locale = "fr-FR" }, "custom_attributes.one-more", "locale");
        Assert.NotNull(profile.CheckTraits(extra));
        var error = profile.ApplyTraits(extra, Now);

        Assert.NotNull(error);
        Assert.Contains(Limits.MaxCustomAttributes.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
        Assert.Same(before, profile.Traits);
        Assert.Null(profile.Traits.Locale); // the whole update is refused, not just the attribute
        Assert.Equal(Now.AddHours(-1), profile.UpdatedAt);

        // Replacing an existing attribute at the limit is fine.
        Assert.Null(profile.ApplyTraits(Update(new ProfileTraits { CustomAttributes = new Dictionary<string, string> { ["k0"] = "new" } }, "custom_attributes.k0"), Now));
        Assert.Equal("new", profile.Traits.CustomAttributes["k0"]);
    }

    [Fact]
    public void CheckTraits_DoesNotApply()
    {
        var profile = NewProfile();
        Assert.Null(profile.CheckTraits(Update(new ProfileTraits { Locale = "fr-FR" }, "locale")));
        Assert.Null(profile.Traits.Locale);
    }

    [Fact]
    public void ConsentFor_UnknownUntilDecided()
    {
        var profile = NewProfile();
        Assert.Equal(ConsentStatus.Unknown, profile.ConsentFor(ContactChannel.Email));
        profile.ApplyTraits(Update(new ProfileTraits { Consents = [Consent(ContactChannel.Email, ConsentStatus.Denied, Now)] }, "consents"), Now);
        Assert.Equal(ConsentStatus.Denied, profile.ConsentFor(ContactChannel.Email));
        Assert.Equal(ConsentStatus.Unknown, profile.ConsentFor(ContactChannel.Sms));
    }

    [Fact]
    public void SetSegments_ReturnsEnteredAndExited_AndKeepsIdsSorted()
    {
        var profile = NewProfile();

        var (entered, exited) = profile.SetSegments(["vip", "active"], Now);
        Assert.Equal(["active", "vip"], entered.Order(StringComparer.Ordinal));
        Assert.Empty(exited);
        Assert.Equal(["active", "vip"], profile.SegmentIds);

        (entered, exited) = profile.SetSegments(["vip", "churn-risk"], Now);
        Assert.Equal(["churn-risk"], entered);
        Assert.Equal(["active"], exited);
        Assert.Equal(["churn-risk", "vip"], profile.SegmentIds);

        (entered, exited) = profile.SetSegments(["churn-risk", "vip"], Now);
        Assert.Empty(entered);
        Assert.Empty(exited);

        (entered, exited) = profile.SetSegments([], Now);
        Assert.Empty(entered);
        Assert.Equal(["churn-risk", "vip"], exited.Order(StringComparer.Ordinal));
        Assert.Empty(profile.SegmentIds);
    }

    [Fact]
    public void SetSegments_IsCaseSensitive()
    {
        var profile = NewProfile();
        profile.SetSegments(["vip"], Now);
        var (entered, exited) = profile.SetSegments(["VIP"], Now);
        Assert.Equal(["VIP"], entered);
        Assert.Equal(["vip"], exited);
    }
}
