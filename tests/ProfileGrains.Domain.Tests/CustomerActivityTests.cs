using ProfileGrains.Domain.Rules;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

/// <summary>What the events say beyond their counts: cart, returns, feedback, subscriptions, products, visits, anomalies.</summary>
public sealed class CustomerActivityTests
{
    private int _sequence;

    private static bool Eval(string text, CustomerProfile profile, DateTimeOffset at)
    {
        var result = SegmentRule.Compile(text);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Rule!.Evaluate(profile, at);
    }

    private static SegmentDefinition Segment(string rule) => new("s", "s", [new ExpressionCondition(rule)], 1);

    private TrackOutcome Apply(CustomerProfile profile, EventType type, EventPayload payload, DateTimeOffset at, Channel channel = Channel.Web) =>
        profile.Apply(Event($"evt-{++_sequence}", type, payload, at, channel), Now);

    private static ProductPayload Cart(string sku, int quantity = 1, decimal price = 20m) => new(sku, "shoes", quantity, Eur(price));

    [Fact]
    public void The_cart_holds_what_was_added_less_what_was_removed_and_an_online_checkout_empties_it()
    {
        var profile = NewProfile();
        Apply(profile, EventType.AddToCart, Cart("SKU-1", 2), Now.AddHours(-5));
        Apply(profile, EventType.AddToCart, Cart("SKU-2", 1, 50m), Now.AddHours(-4));
        Apply(profile, EventType.RemoveFromCart, Cart("SKU-1", 1), Now.AddHours(-3));

        Assert.Equal(2, profile.Cart!.ItemCount);
        Assert.Equal(70m, profile.Cart.ValueIn("EUR"));
        Assert.Equal(Now.AddHours(-3), profile.Cart.LastChangedAt);

        // A store purchase takes out only what it bought.
        profile.Apply(Purchase($"evt-{++_sequence}", "ORD-S", Eur(50m), Now.AddHours(-2), Channel.Store, "STORE-1", Item("SKU-2", "shoes", 1, Eur(50m))), Now);
        Assert.Equal(["SKU-1"], profile.Cart.Lines.Select(l => l.Sku));

        // An online checkout empties the cart as it stood; an add from before it, arriving late, stays out.
        profile.Apply(Purchase($"evt-{++_sequence}", "ORD-W", Eur(20m), Now.AddHours(-1), Channel.Web), Now);
        Apply(profile, EventType.AddToCart, Cart("SKU-OLD"), Now.AddHours(-1.5));
        Assert.True(profile.Cart.IsEmpty);
        Assert.Null(profile.Cart.LastChangedAt);

        Apply(profile, EventType.AddToCart, Cart("SKU-NEW"), Now.AddMinutes(-10));
        Assert.Equal(["SKU-NEW"], profile.Cart.Lines.Select(l => l.Sku));
    }

    [Fact]
    public void An_abandoned_cart_enters_its_segment_after_N_hours_with_no_event_and_leaves_it_on_purchase()
    {
        const string Rule = "hours_since(cart_change) >= 4 and cart_value(EUR) >= 30";
        var profile = NewProfile();
        var added = Now.AddMinutes(-30);
        Apply(profile, EventType.AddToCart, Cart("SKU-1", 2), added);

        Assert.False(Eval(Rule, profile, Now));
        Assert.False(Eval(Rule, profile, added.AddHours(4).AddTicks(-1)));
        Assert.True(Eval(Rule, profile, added.AddHours(4)));

        // Time alone moves it: the next transition is exactly four hours after the cart last changed.
        Assert.Equal(added.AddHours(4), SegmentTiming.NextTransition([Segment(Rule)], profile, Now));

        profile.Apply(Purchase($"evt-{++_sequence}", "ORD-1", Eur(40m), Now, Channel.App), Now);
        Assert.False(Eval(Rule, profile, added.AddHours(5)));
        Assert.False(Eval("cart_items > 0", profile, Now));
    }

    [Fact]
    public void Returns_are_counted_with_their_refund_and_one_counted_on_both_records_of_a_merge_counts_once()
    {
        var survivor = NewProfile("cust-a");
        var absorbed = NewProfile("cust-b");
        var refund = Event("ret-1", EventType.Return, new ReturnPayload("ORD-1", Eur(30m), [Item("SKU-1", "shoes", 1, Eur(30m))], null, "too small"), Now.AddDays(-1));
        survivor.Apply(refund, Now);
        absorbed.Apply(refund, Now);
        absorbed.Apply(Event("ret-2", EventType.Return, new ReturnPayload("ORD-2", Eur(12.5m), [], "STORE-1", null), Now.AddHours(-2), Channel.Store), Now);

        survivor.Absorb(absorbed, new MergeRecord("m-1", "cust-b", Now, null, "test"), Now);

        Assert.Equal(2, survivor.Transactions.ReturnCount);
        Assert.Equal(42.5m, survivor.Transactions.RefundedIn("EUR"));
        Assert.Equal(2, survivor.Counters.Count(EventType.Return, CounterWindow.Lifetime, Now));
        Assert.True(Eval("returns == 2 and refunded(EUR) > 40", survivor, Now));
    }

    [Fact]
    public void The_latest_satisfaction_answer_by_when_it_was_given_decides_the_NPS_group()
    {
        var profile = NewProfile();
        Apply(profile, EventType.Satisfaction, new ScorePayload(3, null, "Delivery was late"), Now.AddDays(-1));
        Apply(profile, EventType.Satisfaction, new ScorePayload(10, null), Now.AddDays(-5)); // older, arrives later
        Apply(profile, EventType.Review, new ScorePayload(4, "SKU-1", "Comfortable"), Now);
        Apply(profile, EventType.Review, new ScorePayload(0, null, "Open on Sundays", Suggestion: true), Now);

        Assert.Equal(3, profile.Feedback!.LastSatisfaction);
        Assert.True(Eval("nps_group == \"detractor\" and last_satisfaction <= 6", profile, Now));
        Assert.True(Eval("reviews == 2 and average_rating == 4", profile, Now));
    }

    [Fact]
    public void A_stop_that_happened_after_a_start_wins_whatever_order_they_arrive_in()
    {
        var profile = NewProfile();
        Apply(profile, EventType.SubscriptionStop, new SubscriptionPayload("coffee-monthly", "too expensive"), Now.AddDays(-1));
        Apply(profile, EventType.SubscriptionStart, new SubscriptionPayload("coffee-monthly", null), Now.AddDays(-10));
        Apply(profile, EventType.SubscriptionStart, new SubscriptionPayload("premium", null), Now.AddDays(-2));

        Assert.Equal(["premium"], profile.Subscriptions!.Active);
        Assert.True(Eval("subscriptions contains \"premium\" and not \"coffee-monthly\" in subscriptions", profile, Now));
    }

    [Fact]
    public void Categories_bought_in_a_window_are_exact_and_leave_it_on_time()
    {
        var profile = NewProfile();
        var bought = Now.AddDays(-29);
        profile.Apply(Purchase("evt-b", "ORD-1", Eur(80m), bought, Channel.Web, null, Item("SKU-RUN", "running shoes", 1, Eur(80m))), Now);
        Apply(profile, EventType.ProductView, new ProductPayload("SKU-TENT", "camping", 1, null), Now.AddMinutes(-30));
        const string Rule = "categories_bought(30d) contains \"Running Shoes\"";

        Assert.True(Eval(Rule, profile, Now));
        Assert.True(Eval("\"camping\" in categories_viewed(24h) and skus_viewed(1h) contains \"SKU-TENT\"", profile, Now));
        Assert.False(Eval("categories_bought(lifetime) contains \"camping\"", profile, Now));
        Assert.False(Eval(Rule, profile, bought.AddDays(30)));
        Assert.Equal(bought.AddDays(30), SegmentTiming.NextTransition([Segment(Rule)], profile, Now));
    }

    [Fact]
    public void Seasonality_is_the_share_of_visit_days_by_month_and_weekday()
    {
        var profile = NewProfile();
        Apply(profile, EventType.PageView, new PageViewPayload("/"), Now); // Saturday 15 June
        Apply(profile, EventType.StoreVisit, new StoreVisitPayload("STORE-1"), Now.AddHours(-1)); // same day: one visit
        Apply(profile, EventType.PageView, new PageViewPayload("/"), new DateTimeOffset(2023, 12, 18, 10, 0, 0, TimeSpan.Zero)); // Monday
        Apply(profile, EventType.MessageSent, new MessagePayload(ContactChannel.Email, "c"), Now.AddDays(-2)); // not a visit

        Assert.Equal(2, profile.Visits!.Days);
        Assert.True(Eval("visit_share(saturday) == 50 and visit_share(december) == 50 and visit_share(june) == 50", profile, Now));
        Assert.False(Eval("visit_share(july) > 0", profile, Now));
    }

    [Fact]
    public void Unusual_velocity_raises_anomaly_signals_for_rules_and_the_seller()
    {
        var profile = NewProfile();
        for (var i = 0; i < 10; i++)
        {
            profile.Apply(Event($"buy-{i}", EventType.Purchase, new PurchasePayload($"ORD-{i}", Eur(10m), [], null, PaymentInstrument: $"tok_{i % 4}"), Now.AddMinutes(-i)), Now);
        }

        var options = new ScoringOptions();
        Assert.Equal([Anomalies.PurchaseVelocity, Anomalies.ManyPaymentInstruments], Anomalies.Detect(profile, Now, options));
        Assert.True(Eval("anomalies contains \"purchase_velocity\"", profile, Now));
        Assert.Equal([Anomalies.PurchaseVelocity, Anomalies.ManyPaymentInstruments], CheckoutView.From(profile, Now, options).Anomalies);

        // An hour later the purchases are out of the window; a day later the instruments too.
        Assert.Equal([Anomalies.ManyPaymentInstruments], Anomalies.Detect(profile, Now.AddHours(1), options));
        Assert.Empty(Anomalies.Detect(profile, Now.AddDays(1), options));
    }

    [Fact]
    public void Opens_and_clicks_count_once_per_customer_and_a_purchase_after_a_click_converts_the_last_clicked_campaign()
    {
        var profile = NewProfile();
        Apply(profile, EventType.MessageSent, new MessagePayload(ContactChannel.Email, "spring"), Now.AddDays(-3));
        Assert.Equal(CampaignReach.Sent, profile.CampaignTally!.Messages);
        Apply(profile, EventType.EmailOpen, new CampaignPayload("spring"), Now.AddDays(-2));
        Assert.Equal(CampaignReach.Opened, profile.CampaignTally!.Unique);
        Apply(profile, EventType.EmailOpen, new CampaignPayload("spring"), Now.AddDays(-2).AddMinutes(5));
        Assert.Equal(CampaignReach.None, profile.CampaignTally!.Unique);
        Apply(profile, EventType.EmailClick, new CampaignPayload("spring"), Now.AddDays(-2).AddMinutes(6));
        Apply(profile, EventType.EmailClick, new CampaignPayload("summer"), Now.AddDays(-1));

        profile.Apply(Purchase("buy-1", "ORD-1", Eur(75m), Now), Now);
        var conversion = profile.CampaignTally!;
        Assert.Equal(("summer", CampaignReach.Converted, (Money?)Eur(75m)), (conversion.Campaign, conversion.Unique, conversion.Revenue));

        profile.Apply(Purchase("buy-2", "ORD-2", Eur(20m), Now), Now);
        Assert.Null(profile.CampaignTally);
        Assert.True(Eval("clicked_campaigns(7d) contains \"spring\"", profile, Now));
        Assert.False(Eval("clicked_campaigns(24h) contains \"spring\"", profile, Now));

        // Beyond the conversion window, a purchase converts nothing.
        var late = NewProfile("cust-2");
        late.Apply(Event("c", EventType.EmailClick, new CampaignPayload("spring"), Now.AddDays(-8), Channel.Email), Now);
        late.Apply(Purchase("b", "ORD-9", Eur(10m), Now), Now);
        Assert.Null(late.CampaignTally);
    }

    [Fact]
    public void Campaign_rates_are_computed_from_the_counts_as_a_marketer_would()
    {
        var counts = new CampaignCounts();
        for (var i = 0; i < 10; i++)
        {
            counts.Add(new CampaignTally("c", CampaignReach.Sent, CampaignReach.Sent, null, []));
        }

        for (var i = 0; i < 8; i++)
        {
            counts.Add(new CampaignTally("c", CampaignReach.Delivered, CampaignReach.Delivered, null, []));
        }

        counts.Add(new CampaignTally("c", CampaignReach.Bounced, CampaignReach.Bounced, null, []));
        counts.Add(new CampaignTally("c", CampaignReach.None, CampaignReach.Opened, null, []));
        counts.Add(new CampaignTally("c", CampaignReach.None, CampaignReach.Opened, null, []));
        counts.Add(new CampaignTally("c", CampaignReach.None, CampaignReach.Clicked, null, []));
        counts.Add(new CampaignTally("c", CampaignReach.None, CampaignReach.Converted, Eur(30m), []));

        var f = counts.Figures();
        Assert.Equal((10L, 8L, 1L, 2L, 1L, 1L), (f.Sent, f.Delivered, f.Bounced, f.Opened, f.Clicked, f.Converted));
        Assert.Equal((0.25m, 0.125m, 0m, 0.1m, 1m), (f.OpenRate, f.ClickRate, f.UnsubscribeRate, f.BounceRate, f.ConversionRate));
        Assert.Equal([Eur(30m)], f.Revenue);
        Assert.Null(new CampaignCounts().Figures().OpenRate);
    }

    [Fact]
    public void An_unsubscribe_withdraws_marketing_consent_on_its_channel_as_of_when_it_happened()
    {
        var profile = NewProfile();
        Assert.Null(profile.ApplyTraits(Update(ProfileTraits.Empty with { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-30))] }, "consents"), Now));
        Apply(profile, EventType.Unsubscribe, new MessagePayload(ContactChannel.Email, "spring"), Now.AddDays(-1), Channel.Email);

        var inForce = profile.ConsentRecordFor(ContactChannel.Email, ConsentPurpose.Marketing)!;
        Assert.Equal((ConsentStatus.Withdrawn, "unsubscribe:spring"), (inForce.Status, inForce.Source));
        Assert.Contains(profile.ConsentHistory, c => c.Source == "unsubscribe:spring");
        Assert.True(Eval("consent.email == withdrawn and count(unsubscribe, 30d) == 1", profile, Now));

        // A grant given after it is in force again; an unsubscribe older than a grant changes nothing.
        Assert.Null(profile.ApplyTraits(Update(ProfileTraits.Empty with { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now)] }, "consents"), Now));
        Apply(profile, EventType.Unsubscribe, new MessagePayload(ContactChannel.Email, "old"), Now.AddDays(-2), Channel.Email);
        Assert.Equal(ConsentStatus.Granted, profile.ConsentFor(ContactChannel.Email));
    }

    [Theory]
    [InlineData("categories_bought(2w) contains \"x\"", "unknown window '2w'")]
    [InlineData("visit_share(someday) > 10", "'someday' is neither a month nor a day of the week")]
    [InlineData("hours_since(checkout) > 1", "hours_since does not know 'checkout'")]
    [InlineData("cart_value(euros) > 1", "'euros' is not a currency code")]
    [InlineData("hours_since > 1", "'hours_since' is a function and needs arguments")]
    public void New_vocabulary_is_type_checked_with_a_message_naming_the_problem(string rule, string message)
    {
        var result = SegmentRule.Compile(rule);
        Assert.False(result.Succeeded);
        Assert.Equal(message, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Custom_attributes_read_as_text_or_as_numbers_and_birth_month_as_a_number()
    {
        var profile = NewProfile();
        var traits = ProfileTraits.Empty with
        {
            CustomAttributes = new Dictionary<string, string> { ["shoe-size"] = "42", ["club"] = "trail" },
            BirthDate = new DateOnly(1990, 6, 2),
        };
        Assert.Null(profile.ApplyTraits(Update(traits, "custom_attributes", "birth_date"), Now));

        Assert.True(Eval("attribute(\"club\") == \"TRAIL\" and attribute_number(\"shoe-size\") >= 42 and birth_month == 6", profile, Now));
        Assert.False(Eval("attribute_number(\"club\") >= 0", profile, Now));
        Assert.False(Eval("attribute(\"missing\") == \"x\"", profile, Now));
    }

    [Fact]
    public void Many_new_postal_addresses_in_a_day_raise_a_signal_that_fades_after_it()
    {
        var profile = NewProfile();
        for (var i = 0; i < 3; i++)
        {
            var address = new PostalAddress(null, [$"{i} rue de la Paix"], "75002", "Paris", null, "FR");
            Assert.Null(profile.ApplyTraits(Update(ProfileTraits.Empty with { Addresses = [address] }, "addresses"), Now.AddHours(-i)));
        }

        Assert.Equal([Anomalies.ManyAddresses], Anomalies.Detect(profile, Now, new ScoringOptions()));
        Assert.Empty(Anomalies.Detect(profile, Now, new ScoringOptions { AnomalyAddressesPerDay = 0 }));
        Assert.Empty(Anomalies.Detect(profile, Now.AddHours(-2).AddDays(1), new ScoringOptions()));
    }

    [Fact]
    public void Consent_for_any_purpose_and_channel_reads_the_decision_in_force()
    {
        var profile = NewProfile();
        var decisions = new[]
        {
            new ConsentDecision(ContactChannel.All, ConsentStatus.Granted, Now.AddDays(-3), "web", ConsentPurpose.Profiling),
            new ConsentDecision(ContactChannel.Sms, ConsentStatus.Denied, Now.AddDays(-2), "web", ConsentPurpose.PartnerSharing),
            new ConsentDecision(ContactChannel.All, ConsentStatus.Granted, Now.AddDays(-1), "web", ConsentPurpose.Custom, PurposeName: "research"),
        };
        Assert.Null(profile.ApplyTraits(Update(ProfileTraits.Empty with { Consents = decisions }, "consents"), Now));

        Assert.True(Eval("consent(profiling) == granted and consent(research) == granted and consent(partner_sharing, sms) == denied", profile, Now));
        Assert.True(Eval("consent(personalization) == unknown and consent(marketing, email) == unknown", profile, Now));
        var refused = SegmentRule.Compile("consent(Gossip) == granted");
        Assert.False(refused.Succeeded);
        Assert.False(SegmentRule.Compile("consent(profiling, fax) == granted").Succeeded);
    }

    [Fact]
    public void The_value_tier_follows_lifetime_spend_and_the_website_gets_the_next_offer_hint()
    {
        var options = new ScoringOptions();
        var newcomer = NewProfile();
        Assert.Equal("none", CustomerScoring.Compute(newcomer, Now, options).ValueTier);

        var big = NewProfile("cust-big");
        big.Apply(Purchase("b-1", "ORD-1", Eur(3000m), Now.AddDays(-3), Channel.Store, "S-1", Item("SKU-1", "shoes", 1, Eur(3000m))), Now);
        Assert.Equal("top", CustomerScoring.Compute(big, Now, options).ValueTier);
        Assert.True(Eval("value_tier == \"top\"", big, Now));

        var small = NewProfile("cust-small");
        small.Apply(Purchase("s-1", "ORD-2", Eur(60m), Now.AddDays(-3)), Now);
        Assert.Equal("low", CustomerScoring.Compute(small, Now, options).ValueTier);

        // Viewed tents, bought shoes: the hint is the interest not yet bought in, for the page as for the till.
        Apply(big, EventType.ProductView, new ProductPayload("TENT", "camping", 1, null), Now.AddHours(-1));
        var page = PersonalizationView.From(big, Now, options);
        Assert.Equal("camping", page.NextBestCategory);
        Assert.Equal(CheckoutView.From(big, Now, options).NextBestCategory, page.NextBestCategory);
    }

    [Fact]
    public void Life_events_are_dated_traits_that_rules_count_days_from_and_merges_keep()
    {
        var moved = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-10);
        var profile = NewProfile();
        var dated = Preferences.Empty with { LifeEvents = ["marriage"], LifeEventDates = new Dictionary<string, DateOnly> { ["moved"] = moved } };
        Assert.Null(profile.ApplyTraits(Update(ProfileTraits.Empty with { Preferences = dated }, "preferences.life_events", "preferences.life_event_dates"), Now));

        const string Rule = "days_since_life_event(\"moved\") <= 30 and \"moved\" in life_events";
        Assert.True(Eval(Rule, profile, Now));
        Assert.True(Eval("life_events contains \"marriage\"", profile, Now));
        var leaves = new DateTimeOffset(moved.AddDays(31).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.False(Eval(Rule, profile, leaves));
        Assert.Equal(leaves, SegmentTiming.NextTransition([Segment(Rule)], profile, Now));

        var other = NewProfile("cust-2");
        var birth = Preferences.Empty with { LifeEventDates = new Dictionary<string, DateOnly> { ["birth"] = moved.AddDays(2) } };
        Assert.Null(other.ApplyTraits(Update(ProfileTraits.Empty with { Preferences = birth }, "preferences.life_event_dates"), Now.AddMinutes(1)));
        profile.Absorb(other, new MergeRecord("m-1", "cust-2", Now, null, "test"), Now);
        Assert.Equal(["birth", "moved"], profile.Traits.Preferences.DatedLifeEvents.Keys.Order());

        var v = new Violations();
        var future = ProfileTraits.Empty with { Preferences = Preferences.Empty with { LifeEventDates = new Dictionary<string, DateOnly> { ["moved"] = moved.AddDays(30) } } };
        TraitsValidator.Validate(future, DateOnly.FromDateTime(Now.UtcDateTime), "traits", v);
        Assert.Equal(["traits.preferences.life_event_dates[moved]"], v.Items.Select(i => i.Field));
    }
}
