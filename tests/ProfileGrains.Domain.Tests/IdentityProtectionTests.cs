namespace ProfileGrains.Domain.Tests;

public sealed class IdentityProtectionTests
{
    private static readonly IdentityProtectionPolicy Defaults = new();

    /// <summary>Monday 2024-06-10 09:00 UTC; every instant of these tests is relative to it.</summary>
    private static readonly DateTimeOffset T0 = new(2024, 6, 10, 9, 0, 0, TimeSpan.Zero);

    private static CustomerIdentifier Id(IdentifierType type, string value) => new(type, value);

    private static CustomerIdentifier Email(string value) => new(IdentifierType.Email, value);

    private static CustomerIdentifier Phone(string value) => new(IdentifierType.Phone, value);

    private static CustomerIdentifier Loyalty(string value) => new(IdentifierType.LoyaltyId, value);

    private static CustomerIdentifier Anon(int n) => new(IdentifierType.AnonymousId, $"anon-{n:D4}");

    private static string Blocked(IdentityProtectionPolicy policy, CustomerIdentifier id)
    {
        Assert.True(policy.IsBlocked(id, out var reason), $"{id} was not blocked");
        Assert.False(string.IsNullOrWhiteSpace(reason), "a block must say why");
        return reason;
    }

    private static void NotBlocked(IdentityProtectionPolicy policy, CustomerIdentifier id)
    {
        Assert.False(policy.IsBlocked(id, out var reason), $"{id} was blocked: {reason}");
        Assert.Equal(string.Empty, reason);
    }

    private static string Invalid(IdentityProtectionOptions options)
    {
        var e = Assert.Throws<ArgumentException>(() => new IdentityProtectionPolicy(options));
        Assert.Equal("options", e.ParamName);
        return e.Message;
    }

    // ---- blocklists ----

    [Theory]
    [InlineData(IdentifierType.Email, "test@test.com")]
    [InlineData(IdentifierType.Email, "a@a.com")]
    [InlineData(IdentifierType.Email, "email@email.com")]
    [InlineData(IdentifierType.Email, "none@none.com")]
    [InlineData(IdentifierType.Email, "example@example.com")]
    [InlineData(IdentifierType.Email, "null@null.com")]
    [InlineData(IdentifierType.Email, "unknown@unknown.com")]
    [InlineData(IdentifierType.Email, "noreply@shop.fr")]
    [InlineData(IdentifierType.Email, "no-reply@gmail.com")]
    [InlineData(IdentifierType.Email, "donotreply@orange.fr")]
    [InlineData(IdentifierType.Email, "do-not-reply@laposte.net")]
    [InlineData(IdentifierType.Email, "nomail@free.fr")]
    [InlineData(IdentifierType.Email, "no-email@gmail.com")]
    [InlineData(IdentifierType.Email, "anonymous@hotmail.com")]
    [InlineData(IdentifierType.Email, "xxx@yahoo.fr")]
    [InlineData(IdentifierType.Email, "test@gmail.com")]
    [InlineData(IdentifierType.Email, "jean.dupont@example.com")]
    [InlineData(IdentifierType.Email, "jean.dupont@mail.example.org")]
    [InlineData(IdentifierType.Email, "jean.dupont@example.net")]
    [InlineData(IdentifierType.Email, "jean.dupont@test.com")]
    [InlineData(IdentifierType.Email, "jean.dupont@shop.test")]
    [InlineData(IdentifierType.Email, "jean.dupont@host.invalid")]
    [InlineData(IdentifierType.Phone, "+33600000000")]
    [InlineData(IdentifierType.Phone, "+33611111111")]
    [InlineData(IdentifierType.Phone, "+33612345678")]
    [InlineData(IdentifierType.Phone, "+33601020304")]
    [InlineData(IdentifierType.Phone, "+33606060606")]
    [InlineData(IdentifierType.Phone, "+33123456789")]
    [InlineData(IdentifierType.Phone, "+12222222222")]
    [InlineData(IdentifierType.Phone, "+353111111111")]
    [InlineData(IdentifierType.LoyaltyId, "0")]
    [InlineData(IdentifierType.LoyaltyId, "00000000")]
    [InlineData(IdentifierType.LoyaltyId, "NULL")]
    [InlineData(IdentifierType.LoyaltyId, "N/A")]
    [InlineData(IdentifierType.CrmId, "Undefined")]
    [InlineData(IdentifierType.CrmId, "-")]
    [InlineData(IdentifierType.CrmId, "na")]
    [InlineData(IdentifierType.CrmId, "TEST")]
    [InlineData(IdentifierType.AnonymousId, "unknown")]
    [InlineData(IdentifierType.AnonymousId, "anonymous")]
    [InlineData(IdentifierType.AnonymousId, "none")]
    [InlineData(IdentifierType.AnonymousId, "nan")]
    public void The_defaults_block_the_obvious_junk(IdentifierType type, string value) =>
        Blocked(Defaults, Id(type, value));

    [Theory]
    [InlineData(IdentifierType.Email, "jean.dupont@gmail.com")]
    [InlineData(IdentifierType.Email, "tester@gmail.com")]
    [InlineData(IdentifierType.Email, "test.user@gmail.com")]
    [InlineData(IdentifierType.Email, "test+shop@gmail.com")]
    [InlineData(IdentifierType.Email, "contact@test.fr")]
    [InlineData(IdentifierType.Email, "marie@example-boutique.com")]
    [InlineData(IdentifierType.Email, "marie@myexample.com")]
    [InlineData(IdentifierType.Email, "marie@testing.com")]
    [InlineData(IdentifierType.Email, "someone@mailinator.com")]
    [InlineData(IdentifierType.Email, "someone@yopmail.com")]
    [InlineData(IdentifierType.Email, "a@gmail.com")]
    [InlineData(IdentifierType.Phone, "+33612345679")]
    [InlineData(IdentifierType.Phone, "+33645264411")]
    [InlineData(IdentifierType.Phone, "+33698765432")]
    [InlineData(IdentifierType.Phone, "+33612121212")]
    [InlineData(IdentifierType.Phone, "+447911123456")]
    [InlineData(IdentifierType.Phone, "+12025550143")]
    [InlineData(IdentifierType.Phone, "+35318234567")]
    [InlineData(IdentifierType.Phone, "+12125551234")]
    [InlineData(IdentifierType.LoyaltyId, "LOY0000012345")]
    [InlineData(IdentifierType.LoyaltyId, "10000000")]
    [InlineData(IdentifierType.LoyaltyId, "1")]
    [InlineData(IdentifierType.CrmId, "CRM-000042")]
    [InlineData(IdentifierType.CrmId, "nullable")]
    [InlineData(IdentifierType.AnonymousId, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")]
    public void The_defaults_let_real_looking_values_through(IdentifierType type, string value) =>
        NotBlocked(Defaults, Id(type, value));

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("000")]
    [InlineData("--")]
    [InlineData("0.0")]
    [InlineData("{}")]
    public void An_opaque_id_without_any_letter_or_digit_but_zero_is_blocked(string value)
    {
        foreach (var type in new[] { IdentifierType.LoyaltyId, IdentifierType.AnonymousId, IdentifierType.CrmId })
        {
            Blocked(Defaults, Id(type, value));
        }
    }

    [Theory]
    [InlineData("+33666666666", true)] // one repeated digit
    [InlineData("+33677777777", true)] // mobile prefix, then one repeated digit
    [InlineData("+33699999999", true)]
    [InlineData("+33201234567", true)] // area prefix, then an ascending run from 0
    [InlineData("+33623456789", true)]
    [InlineData("+4923456789", true)] // any country: national number 23456789
    [InlineData("+33234567891", false)]
    [InlineData("+33645264411", false)]
    public void Phone_patterns_are_read_after_the_country_code(string value, bool expected)
    {
        // Both country codes here have two digits.
        Assert.Equal(expected, IdentityProtectionPolicy.IsPlaceholderPattern(value[3..]));
        Assert.Equal(expected, Defaults.IsBlocked(Phone(value), out _));
    }

    [Theory]
    [InlineData("12345")] // too short to mean anything
    [InlineData("11111")]
    [InlineData("698765432")] // descending runs are left alone
    [InlineData("678901234")] // no wrap-around
    [InlineData("612345670")]
    [InlineData("611111112")]
    public void The_phone_pattern_rule_stays_conservative(string national) =>
        Assert.False(IdentityProtectionPolicy.IsPlaceholderPattern(national));

    [Fact]
    public void The_phone_pattern_rule_can_be_switched_off_and_the_list_still_applies()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions { BlockPlaceholderPhonePatterns = false });

        NotBlocked(policy, Phone("+33677777777"));
        Blocked(policy, Phone("+33611111111"));
    }

    [Fact]
    public void Every_default_entry_is_in_normalized_form_so_it_can_match()
    {
        var normalizer = new IdentifierNormalizer();
        var options = new IdentityProtectionOptions();
        foreach (var (type, values) in new[]
        {
            (IdentifierType.Email, options.BlockedEmails),
            (IdentifierType.Phone, options.BlockedPhones),
            (IdentifierType.CrmId, options.BlockedOpaqueIds),
        })
        {
            foreach (var value in values)
            {
                Assert.True(normalizer.TryNormalize(type, value, out var normalized, out var error), $"{value}: {error}");
                Assert.Equal(value, normalized.Value);
                Blocked(Defaults, normalized);
            }
        }
    }

    [Fact]
    public void The_reason_names_the_rule_not_the_value()
    {
        var reason = Blocked(Defaults, Email("test@test.com"));
        Assert.DoesNotContain("test@test.com", reason, StringComparison.Ordinal);
        Assert.Contains("'noreply'", Blocked(Defaults, Email("noreply@shop.fr")), StringComparison.Ordinal);
        Assert.Contains("'example.com'", Blocked(Defaults, Email("jean@mail.example.com")), StringComparison.Ordinal);
        Assert.DoesNotContain("+33612345678", Blocked(Defaults, Phone("+33612345678")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_identifier_without_value_is_blocked()
    {
        Blocked(Defaults, default(CustomerIdentifier) with { Type = IdentifierType.CrmId });
        Blocked(Defaults, Email(""));
    }

    [Fact]
    public void Configured_entries_are_trimmed_and_case_folded_and_replace_the_defaults_when_assigned()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions
        {
            BlockedEmails = [" Fake@Shop.FR "],
            BlockedEmailLocalParts = ["NOBODY"],
            BlockedEmailDomains = ["Internal.Shop.fr"],
            BlockedPhones = [" +33645264411 "],
            BlockedOpaqueIds = ["Guest-0"],
        });

        Blocked(policy, Email("fake@shop.fr"));
        Blocked(policy, Email("nobody@gmail.com"));
        Blocked(policy, Email("jean@internal.shop.fr"));
        Blocked(policy, Email("jean@eu.internal.shop.fr"));
        NotBlocked(policy, Email("jean@shop.fr"));
        Blocked(policy, Phone("+33645264411"));
        Blocked(policy, Loyalty("GUEST-0"));
        NotBlocked(policy, Email("test@test.com"));
        NotBlocked(policy, Email("jean@example.com"));
        NotBlocked(policy, Loyalty("undefined"));
        Blocked(policy, Phone("+33611111111")); // the pattern rule is still on
    }

    // ---- per-type limits ----

    [Theory]
    [InlineData(IdentifierType.LoyaltyId, 1)]
    [InlineData(IdentifierType.CrmId, 1)]
    [InlineData(IdentifierType.Email, 5)]
    [InlineData(IdentifierType.Phone, 5)]
    [InlineData(IdentifierType.AnonymousId, 50)]
    public void Default_limits_per_type(IdentifierType type, int expected) =>
        Assert.Equal(expected, Defaults.MaxValues(type));

    [Fact]
    public void Limits_per_type_are_configurable_by_name_any_case_and_a_missing_type_keeps_its_default()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions
        {
            MaxValuesPerType = new Dictionary<string, int> { ["email"] = 2, ["LOYALTYID"] = 3 },
        });

        Assert.Equal(2, policy.MaxValues(IdentifierType.Email));
        Assert.Equal(3, policy.MaxValues(IdentifierType.LoyaltyId));
        Assert.Equal(5, policy.MaxValues(IdentifierType.Phone));
        Assert.Equal(1, policy.MaxValues(IdentifierType.CrmId));
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.MaxValues((IdentifierType)99));
    }

    [Fact]
    public void A_second_loyalty_id_is_excess_but_the_one_already_held_is_not()
    {
        var held = new[] { Loyalty("LOY1"), Email("jean.dupont@gmail.com") };

        Assert.Empty(Defaults.ExcessOverTypeLimits(held, [Loyalty("LOY1"), Email("jean.dupont@gmail.com")]));

        var excess = Defaults.ExcessOverTypeLimits(held, [Loyalty("LOY1"), Loyalty("LOY2"), Email("j.dupont@orange.fr")]);
        var (identifier, reason) = Assert.Single(excess);
        Assert.Equal(Loyalty("LOY2"), identifier);
        Assert.Equal("a customer may hold at most 1 LoyaltyId value", reason);
    }

    [Fact]
    public void Incoming_identifiers_fill_free_places_in_order_and_the_rest_are_reported_in_incoming_order()
    {
        var held = new[] { Email("e1@gmail.com"), Email("e2@gmail.com"), Email("e3@gmail.com") };
        CustomerIdentifier[] incoming =
        [
            Loyalty("LOY-A"), Email("e4@gmail.com"), Loyalty("LOY-B"), Email("e2@gmail.com"),
            Email("e5@gmail.com"), Email("e6@gmail.com"), Loyalty("LOY-B"), Email("e7@gmail.com"), Phone("+33645264411"),
        ];

        var excess = Defaults.ExcessOverTypeLimits(held, incoming);

        Assert.Equal([Loyalty("LOY-B"), Email("e6@gmail.com"), Email("e7@gmail.com")], excess.Select(e => e.Identifier));
        Assert.Equal("a customer may hold at most 5 Email values", excess[1].Reason);
        // Deterministic: the same call gives the same answer.
        Assert.Equal(excess, Defaults.ExcessOverTypeLimits(held, incoming));
    }

    [Fact]
    public void A_customer_already_over_a_limit_takes_no_new_value_of_that_type()
    {
        var held = new[] { Loyalty("LOY1"), Loyalty("LOY2") };

        var excess = Defaults.ExcessOverTypeLimits(held, [Loyalty("LOY3"), Phone("+33645264411")]);

        Assert.Equal([Loyalty("LOY3")], excess.Select(e => e.Identifier));
    }

    [Fact]
    public void The_overall_identifier_limit_applies_too()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions { MaxValuesPerType = new() { ["Email"] = 40, ["Phone"] = 40 } });
        var held = Enumerable.Range(0, 40).Select(i => Email($"e{i}@gmail.com"))
            .Concat(Enumerable.Range(0, Limits.MaxIdentifiersPerCustomer - 41).Select(i => Phone($"+336452644{i:D2}"))).ToArray();

        var excess = policy.ExcessOverTypeLimits(held, [Phone("+33645264499"), Phone("+33645264498")]);

        var (identifier, reason) = Assert.Single(excess);
        Assert.Equal(Phone("+33645264498"), identifier);
        Assert.Equal($"a customer may hold at most {Limits.MaxIdentifiersPerCustomer} identifiers", reason);
    }

    [Fact]
    public void Anonymous_ids_are_never_in_excess_and_take_no_place_from_person_identifiers()
    {
        var held = Enumerable.Range(0, Limits.MaxIdentifiersPerCustomer).Select(Anon).ToArray();

        Assert.Empty(Defaults.ExcessOverTypeLimits(held, [Anon(1000), Email("jean.dupont@gmail.com"), Phone("+33645264411")]));
    }

    // ---- link guard ----

    [Fact]
    public void An_identifier_may_trigger_five_merges_a_day_and_the_sixth_quarantines_it()
    {
        var guard = new IdentifierLinkGuard();
        for (var i = 0; i < 5; i++)
        {
            var at = T0.AddHours(i);
            Assert.False(guard.ShouldQuarantine(2, at, Defaults, out var reason), reason);
            guard.RecordLink(at);
        }

        Assert.Equal(5, guard.RecentLinks(T0.AddHours(5)));
        Assert.True(guard.ShouldQuarantine(2, T0.AddHours(5), Defaults, out var why));
        Assert.Equal("it already triggered 5 merges in the last 24 hours; at most 5 are allowed", why);
        Assert.True(guard.IsQuarantined);
        Assert.Equal(new IdentifierQuarantine(T0.AddHours(5), why, T0.AddHours(5).AddDays(7)), guard.Quarantined);
    }

    [Fact]
    public void Links_older_than_24_hours_no_longer_count()
    {
        IdentifierLinkGuard FiveLinksAtT0()
        {
            var guard = new IdentifierLinkGuard();
            for (var i = 0; i < 5; i++)
            {
                Assert.False(guard.ShouldQuarantine(2, T0, Defaults, out _));
                guard.RecordLink(T0);
            }

            return guard;
        }

        Assert.True(FiveLinksAtT0().ShouldQuarantine(2, T0.AddHours(24).AddSeconds(-1), Defaults, out _));

        var later = FiveLinksAtT0();
        Assert.Equal(0, later.RecentLinks(T0.AddHours(24)));
        Assert.False(later.ShouldQuarantine(2, T0.AddHours(24), Defaults, out var reason), reason);
        Assert.Empty(later.Links);
    }

    [Fact]
    public void The_window_slides_one_link_at_a_time()
    {
        var guard = new IdentifierLinkGuard();
        DateTimeOffset[] times = [T0, T0.AddHours(6), T0.AddHours(12), T0.AddHours(18), T0.AddHours(23)];
        foreach (var at in times)
        {
            Assert.False(guard.ShouldQuarantine(2, at, Defaults, out _));
            guard.RecordLink(at);
        }

        // T0 has left the window at T0+24h: one place is free, and only one.
        Assert.False(guard.ShouldQuarantine(2, T0.AddHours(24), Defaults, out _));
        guard.RecordLink(T0.AddHours(24));
        Assert.True(guard.ShouldQuarantine(2, T0.AddHours(29).AddMinutes(59), Defaults, out _));
    }

    [Fact]
    public void A_request_merging_more_customers_uses_more_of_the_daily_budget()
    {
        var guard = new IdentifierLinkGuard();
        Assert.False(guard.ShouldQuarantine(3, T0, Defaults, out _));
        guard.RecordLink(T0, merges: 2);
        Assert.False(guard.ShouldQuarantine(3, T0.AddMinutes(1), Defaults, out _));
        guard.RecordLink(T0.AddMinutes(1), merges: 2);

        // Four merges so far: two more would make six.
        Assert.True(guard.ShouldQuarantine(3, T0.AddMinutes(2), Defaults, out var reason));
        Assert.Contains("4 merges", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_pulling_together_more_than_three_customers_quarantines_at_once()
    {
        var guard = new IdentifierLinkGuard();

        Assert.False(guard.ShouldQuarantine(3, T0, Defaults, out _));
        Assert.False(guard.IsQuarantined);
        Assert.True(guard.ShouldQuarantine(4, T0, Defaults, out var reason));
        Assert.Equal("it would merge 4 customers in one request; at most 3 are allowed", reason);
        Assert.True(guard.IsQuarantined);
    }

    [Fact]
    public void A_request_that_merges_nothing_is_not_refused_unless_quarantined()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions { MaxLinksPerIdentifierPerDay = 1 });
        var guard = new IdentifierLinkGuard();
        guard.RecordLink(T0);

        Assert.False(guard.ShouldQuarantine(1, T0, policy, out _));
        Assert.False(guard.ShouldQuarantine(0, T0, policy, out _));
        Assert.True(guard.ShouldQuarantine(2, T0, policy, out _));
        Assert.True(guard.ShouldQuarantine(1, T0, policy, out var reason));
        Assert.StartsWith("quarantined since 2024-06-10T09:00:00.0000000+00:00 until 2024-06-17T09:00:00.0000000+00:00: it already triggered 1 merge in", reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => guard.ShouldQuarantine(-1, T0, policy, out _));
    }

    [Fact]
    public void An_indefinite_quarantine_stays_until_released_then_the_budget_starts_afresh()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions { QuarantineDuration = TimeSpan.Zero });
        var guard = new IdentifierLinkGuard();
        Assert.True(guard.ShouldQuarantine(5, T0, policy, out var first));

        // Days later, with nothing recorded in between, it is still quarantined for the original reason and time.
        Assert.True(guard.ShouldQuarantine(2, T0.AddDays(30), policy, out var later));
        Assert.Equal($"quarantined since {T0:O} until released: {first}", later);
        Assert.Equal(T0, guard.Quarantined!.Since);
        Assert.Null(guard.Quarantined.Until);

        guard.Release();

        Assert.False(guard.IsQuarantined);
        Assert.Null(guard.Quarantined);
        Assert.False(guard.ShouldQuarantine(2, T0.AddDays(30), policy, out var reason), reason);
    }

    [Fact]
    public void A_quarantine_ends_by_itself_after_its_duration_and_the_budget_starts_afresh()
    {
        var guard = new IdentifierLinkGuard();
        Assert.True(guard.ShouldQuarantine(5, T0, Defaults, out _));
        Assert.Equal(T0.AddDays(7), guard.Quarantined!.Until);

        Assert.True(guard.ShouldQuarantine(2, T0.AddDays(7).AddTicks(-1), Defaults, out _));
        Assert.NotNull(guard.QuarantineAt(T0.AddDays(7).AddTicks(-1)));
        Assert.Null(guard.QuarantineAt(T0.AddDays(7)));

        Assert.False(guard.ShouldQuarantine(2, T0.AddDays(7), Defaults, out var reason), reason);
        Assert.False(guard.IsQuarantined);
        Assert.Equal(0, guard.RecentLinks(T0.AddDays(7)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    public void A_quarantine_duration_outside_0_to_365_days_is_refused(int days)
    {
        var error = Assert.Throws<ArgumentException>(() => new IdentityProtectionPolicy(new IdentityProtectionOptions { QuarantineDuration = TimeSpan.FromDays(days) }));
        Assert.Contains("QuarantineDuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_forgets_the_links_that_led_to_the_quarantine()
    {
        var guard = new IdentifierLinkGuard();
        for (var i = 0; i < 5; i++)
        {
            guard.RecordLink(T0.AddMinutes(i));
        }

        Assert.True(guard.ShouldQuarantine(2, T0.AddMinutes(10), Defaults, out _));
        guard.Release();

        Assert.Equal(0, guard.RecentLinks(T0.AddMinutes(11)));
        Assert.False(guard.ShouldQuarantine(2, T0.AddMinutes(11), Defaults, out _));
    }

    [Fact]
    public void Memory_is_bounded_by_the_window_and_by_the_daily_limit()
    {
        var guard = new IdentifierLinkGuard();
        guard.ShouldQuarantine(0, T0, Defaults, out _);
        for (var i = 0; i < 100; i++)
        {
            guard.RecordLink(T0.AddMinutes(i));
        }

        Assert.Equal(Defaults.MaxLinksPerIdentifierPerDay + 1, guard.Links.Count);
        Assert.Equal(T0.AddMinutes(99), guard.Links[^1]);

        // A guard that never saw a policy still has a ceiling.
        var blind = new IdentifierLinkGuard();
        blind.RecordLink(T0, merges: 5000);
        Assert.Equal(IdentityProtectionPolicy.MaxLinksPerDayCeiling + 1, blind.Links.Count);

        // Old links go as soon as anything is recorded later.
        var sparse = new IdentifierLinkGuard();
        for (var day = 0; day < 10; day++)
        {
            sparse.RecordLink(T0.AddDays(day));
        }

        Assert.Equal([T0.AddDays(9)], sparse.Links);
    }

    [Fact]
    public void Links_recorded_out_of_order_are_kept_in_time_order()
    {
        var guard = new IdentifierLinkGuard();
        guard.RecordLink(T0.AddMinutes(2));
        guard.RecordLink(T0);
        guard.RecordLink(T0.AddMinutes(1));

        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(2)], guard.Links);
    }

    [Fact]
    public void A_stricter_policy_trims_what_a_looser_one_kept()
    {
        var loose = new IdentityProtectionPolicy(new IdentityProtectionOptions { MaxLinksPerIdentifierPerDay = 20 });
        var strict = new IdentityProtectionPolicy(new IdentityProtectionOptions { MaxLinksPerIdentifierPerDay = 2 });
        var guard = new IdentifierLinkGuard();
        for (var i = 0; i < 10; i++)
        {
            Assert.False(guard.ShouldQuarantine(2, T0.AddMinutes(i), loose, out _));
            guard.RecordLink(T0.AddMinutes(i));
        }

        Assert.True(guard.ShouldQuarantine(2, T0.AddMinutes(10), strict, out _));
        Assert.Equal(3, guard.Links.Count);
    }

    // ---- options validation ----

    [Fact]
    public void The_default_options_are_valid()
    {
        var policy = new IdentityProtectionPolicy(new IdentityProtectionOptions());
        Assert.Equal(3, policy.MaxCustomersPerIdentifier);
        Assert.Equal(5, policy.MaxLinksPerIdentifierPerDay);
    }

    [Fact]
    public void Nonsense_limits_are_refused_with_a_clear_message()
    {
        Assert.Contains("MaxLinksPerIdentifierPerDay is -1; it must be between 1 and 1000",
            Invalid(new IdentityProtectionOptions { MaxLinksPerIdentifierPerDay = -1 }), StringComparison.Ordinal);
        Assert.Contains("MaxLinksPerIdentifierPerDay is 0",
            Invalid(new IdentityProtectionOptions { MaxLinksPerIdentifierPerDay = 0 }), StringComparison.Ordinal);
        Assert.Contains("MaxLinksPerIdentifierPerDay is 1001",
            Invalid(new IdentityProtectionOptions { MaxLinksPerIdentifierPerDay = 1001 }), StringComparison.Ordinal);
        Assert.Contains("MaxCustomersPerIdentifier is 1; it must be at least 2",
            Invalid(new IdentityProtectionOptions { MaxCustomersPerIdentifier = 1 }), StringComparison.Ordinal);
        Assert.Contains("MaxCustomersPerIdentifier is -3",
            Invalid(new IdentityProtectionOptions { MaxCustomersPerIdentifier = -3 }), StringComparison.Ordinal);
    }

    [Fact]
    public void Per_type_limits_must_name_a_type_and_stay_within_the_customer_limit()
    {
        Assert.Contains($"MaxValuesPerType[AnonymousId] is 51; it must be between 1 and {Limits.MaxIdentifiersPerCustomer}",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new() { ["AnonymousId"] = 51 } }), StringComparison.Ordinal);
        Assert.Contains("MaxValuesPerType[Email] is -1",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new() { ["Email"] = -1 } }), StringComparison.Ordinal);
        Assert.Contains("MaxValuesPerType[Phone] is 0",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new() { ["Phone"] = 0 } }), StringComparison.Ordinal);
        Assert.Contains("unknown identifier type 'Fax'; known types are Email, Phone, LoyaltyId, AnonymousId, CrmId",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new() { ["Fax"] = 1 } }), StringComparison.Ordinal);
        Assert.Contains("unknown identifier type '3'",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new() { ["3"] = 1 } }), StringComparison.Ordinal);
        Assert.Contains("unknown identifier type 'Email, Phone'",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new() { ["Email, Phone"] = 1 } }), StringComparison.Ordinal);
        Assert.Contains("names Email more than once",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = new(StringComparer.Ordinal) { ["Email"] = 1, ["email"] = 2 } }), StringComparison.Ordinal);
        Assert.Contains("MaxValuesPerType must not be null",
            Invalid(new IdentityProtectionOptions { MaxValuesPerType = null! }), StringComparison.Ordinal);
    }

    [Fact]
    public void Blocklist_entries_that_could_never_match_are_refused()
    {
        Assert.Contains("BlockedEmails[1] is empty",
            Invalid(new IdentityProtectionOptions { BlockedEmails = ["a@b.fr", "  "] }), StringComparison.Ordinal);
        Assert.Contains("BlockedEmails[0] 'nobody' is not an email address",
            Invalid(new IdentityProtectionOptions { BlockedEmails = ["nobody"] }), StringComparison.Ordinal);
        Assert.Contains("BlockedEmailLocalParts[0] 'x@y.fr' must be a local part only",
            Invalid(new IdentityProtectionOptions { BlockedEmailLocalParts = ["x@y.fr"] }), StringComparison.Ordinal);
        Assert.Contains("BlockedEmailDomains[0] '@example.com' must be a domain name",
            Invalid(new IdentityProtectionOptions { BlockedEmailDomains = ["@example.com"] }), StringComparison.Ordinal);
        Assert.Contains("BlockedPhones[0] '06 12 34 56 78' must be in E.164 form",
            Invalid(new IdentityProtectionOptions { BlockedPhones = ["06 12 34 56 78"] }), StringComparison.Ordinal);
        Assert.Contains("BlockedOpaqueIds must not be null",
            Invalid(new IdentityProtectionOptions { BlockedOpaqueIds = null! }), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once()
    {
        var message = Invalid(new IdentityProtectionOptions
        {
            MaxCustomersPerIdentifier = 0,
            MaxLinksPerIdentifierPerDay = -5,
            BlockedPhones = ["0600000000"],
        });

        Assert.Contains("MaxCustomersPerIdentifier", message, StringComparison.Ordinal);
        Assert.Contains("MaxLinksPerIdentifierPerDay", message, StringComparison.Ordinal);
        Assert.Contains("BlockedPhones[0]", message, StringComparison.Ordinal);
    }
}
