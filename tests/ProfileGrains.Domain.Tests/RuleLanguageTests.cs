using ProfileGrains.Domain.Rules;
using static ProfileGrains.Domain.Tests.TestData;

namespace ProfileGrains.Domain.Tests;

public sealed class RuleLanguageTests
{
    private const string Example =
        "count(purchase, 30d) >= 2 and spend(EUR) > 500 and consent.email == granted and days_since(last_purchase) < 90";

    private static CompiledRule Compile(string text)
    {
        var result = SegmentRule.Compile(text);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
        return result.Rule!;
    }

    private static bool Eval(string text, CustomerProfile profile, DateTimeOffset? now = null) => Compile(text).Evaluate(profile, now ?? Now);

    private static RuleError Error(string text)
    {
        var result = SegmentRule.Compile(text);
        Assert.False(result.Succeeded);
        Assert.Null(result.Rule);
        return Assert.Single(result.Errors);
    }

    private static CustomerProfile Buyer(params (decimal Amount, DateTimeOffset At)[] purchases)
    {
        var profile = NewProfile();
        var i = 0;
        foreach (var (amount, at) in purchases)
        {
            i++;
            Assert.Equal(TrackOutcome.Accepted, profile.Apply(Purchase($"evt-{i}", $"ord-{i}", Eur(amount), at), Now));
        }

        return profile;
    }

    private static CustomerProfile WithTraits(ProfileTraits traits, params string[] paths)
    {
        var profile = NewProfile();
        Assert.Null(profile.ApplyTraits(Update(traits, paths), Now));
        return profile;
    }

    private static CustomerProfile WithConsent(ContactChannel channel, ConsentStatus status) =>
        WithTraits(ProfileTraits.Empty with { Consents = [Consent(channel, status, Now.AddDays(-1))] }, "consents");

    // ---- the example from the issue ----

    [Fact]
    public void Example_rule_compiles_reads_its_inputs_and_evaluates()
    {
        var rule = Compile(Example);
        Assert.Equal(["consent:email", "counters:Purchase", "last_purchase", "spend"], rule.Inputs.Order(StringComparer.Ordinal));

        var profile = Buyer((300m, Now.AddDays(-20)), (250m, Now.AddDays(-3)));
        Assert.False(rule.Evaluate(profile, Now)); // no consent yet
        Assert.Null(profile.ApplyTraits(Update(ProfileTraits.Empty with { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now)] }, "consents"), Now));
        Assert.True(rule.Evaluate(profile, Now));

        // 550 EUR but a single purchase in 30 days: fails on count.
        var once = Buyer((550m, Now.AddDays(-3)));
        once.ApplyTraits(Update(ProfileTraits.Empty with { Consents = [Consent(ContactChannel.Email, ConsentStatus.Granted, Now)] }, "consents"), Now);
        Assert.False(rule.Evaluate(once, Now));

        // Same profile evaluated 100 days later: the purchases fall out of 30d and last purchase is > 90 days ago.
        Assert.False(rule.Evaluate(profile, Now.AddDays(100)));
    }

    // ---- numbers ----

    [Theory]
    [InlineData("orders == 2", true)]
    [InlineData("orders != 2", false)]
    [InlineData("orders > 1", true)]
    [InlineData("orders >= 3", false)]
    [InlineData("orders < 3", true)]
    [InlineData("orders <= 1", false)]
    [InlineData("2 == orders", true)]
    [InlineData("spend(EUR) == 100.5", true)]
    [InlineData("spend(eur) > 100.49", true)]
    [InlineData("spend(GBP) == 0", true)]
    [InlineData("spend(EUR) > -1", true)]
    [InlineData("count(purchase, lifetime) == orders", true)]
    [InlineData("count(page_view, lifetime) == 0", true)]
    public void Number_comparisons(string rule, bool expected)
    {
        var profile = Buyer((60m, Now.AddDays(-10)), (40.5m, Now.AddDays(-2)));
        Assert.Equal(expected, Eval(rule, profile));
    }

    [Theory]
    [InlineData("purchase", EventType.Purchase)]
    [InlineData("product_view", EventType.ProductView)]
    [InlineData("page_view", EventType.PageView)]
    [InlineData("add_to_cart", EventType.AddToCart)]
    [InlineData("remove_from_cart", EventType.RemoveFromCart)]
    [InlineData("store_visit", EventType.StoreVisit)]
    [InlineData("email_open", EventType.EmailOpen)]
    [InlineData("email_click", EventType.EmailClick)]
    [InlineData("support_contact", EventType.SupportContact)]
    [InlineData("satisfaction", EventType.Satisfaction)]
    [InlineData("review", EventType.Review)]
    [InlineData("custom", EventType.Custom)]
    public void Every_event_type_is_counted(string name, EventType type)
    {
        var profile = NewProfile();
        profile.Apply(Event("e-1", type, ValidPayload(type), Now.AddMinutes(-5)), Now);
        var rule = Compile($"count({name}, 1h) == 1");
        Assert.Equal(["counters:" + type], rule.Inputs);
        Assert.True(rule.Evaluate(profile, Now));
        Assert.True(Eval($"count({name}, lifetime) == 1", NewProfile().Also(p => p.Apply(Event("e-1", type, ValidPayload(type), Now), Now))));
    }

    [Fact]
    public void Window_boundaries_follow_the_counter_buckets()
    {
        // Now = 2024-06-15 12:30:30 UTC. "1h": current minute and 59 before; "24h": current hour and 23 before; "Nd": today and N-1 UTC days before.
        var now = new DateTimeOffset(2024, 6, 15, 12, 30, 30, TimeSpan.Zero);
        var profile = NewProfile();
        profile.Apply(PageView("a", new DateTimeOffset(2024, 6, 15, 11, 31, 0, TimeSpan.Zero)), now); // inside 1h (59 minutes back)
        profile.Apply(PageView("b", new DateTimeOffset(2024, 6, 15, 11, 30, 59, TimeSpan.Zero)), now); // outside 1h, inside 24h
        profile.Apply(PageView("c", new DateTimeOffset(2024, 6, 14, 13, 0, 0, TimeSpan.Zero)), now); // first hour of 24h
        profile.Apply(PageView("d", new DateTimeOffset(2024, 6, 14, 12, 59, 59, TimeSpan.Zero)), now); // outside 24h, inside 7d
        profile.Apply(PageView("e", new DateTimeOffset(2024, 6, 9, 0, 0, 0, TimeSpan.Zero)), now); // first day of 7d
        profile.Apply(PageView("f", new DateTimeOffset(2024, 6, 8, 23, 59, 59, TimeSpan.Zero)), now); // outside 7d, inside 30d
        profile.Apply(PageView("g", new DateTimeOffset(2024, 5, 17, 0, 0, 0, TimeSpan.Zero)), now); // first day of 30d
        profile.Apply(PageView("h", new DateTimeOffset(2024, 5, 16, 23, 0, 0, TimeSpan.Zero)), now); // outside 30d, inside 90d
        profile.Apply(PageView("i", new DateTimeOffset(2024, 3, 18, 0, 0, 0, TimeSpan.Zero)), now); // first day of 90d
        profile.Apply(PageView("j", new DateTimeOffset(2024, 3, 17, 23, 59, 59, TimeSpan.Zero)), now); // outside 90d, inside 365d
        profile.Apply(PageView("k", new DateTimeOffset(2023, 6, 17, 0, 0, 0, TimeSpan.Zero)), now); // first day of 365d
        profile.Apply(PageView("l", new DateTimeOffset(2023, 6, 16, 0, 0, 0, TimeSpan.Zero)), now); // lifetime only

        Assert.True(Eval("count(page_view, 1h) == 1", profile, now));
        Assert.True(Eval("count(page_view, 24h) == 3", profile, now));
        Assert.True(Eval("count(page_view, 7d) == 5", profile, now));
        Assert.True(Eval("count(page_view, 30d) == 7", profile, now));
        Assert.True(Eval("count(page_view, 90d) == 9", profile, now));
        Assert.True(Eval("count(page_view, 365d) == 11", profile, now));
        Assert.True(Eval("count(page_view, lifetime) == 12", profile, now));

        // One minute later the oldest minute of the hour has gone.
        Assert.True(Eval("count(page_view, 1h) == 0", profile, now.AddMinutes(1)));
    }

    [Fact]
    public void Days_since_purchase_uses_whole_days_and_is_false_for_someone_who_never_bought()
    {
        var last = new DateTimeOffset(2024, 6, 1, 12, 30, 30, TimeSpan.Zero);
        var first = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var profile = Buyer((10m, first), (10m, last));
        Assert.True(Eval("days_since(last_purchase) == 14", profile, Now));
        Assert.True(Eval("days_since(last_purchase) == 13", profile, Now.AddSeconds(-1)));
        Assert.True(Eval("days_since(first_purchase) == 166", profile, Now));
        Assert.Equal(["first_purchase"], Compile("days_since(first_purchase) > 1").Inputs);

        var never = NewProfile();
        foreach (var op in new[] { "==", "!=", ">", ">=", "<", "<=" })
        {
            Assert.False(Eval($"days_since(last_purchase) {op} 5", never));
            Assert.False(Eval($"days_since(first_purchase) {op} 5", never));
        }

        // ...but "not" of such a comparison is true.
        Assert.True(Eval("not days_since(last_purchase) < 90", never));
    }

    [Fact]
    public void Age_comes_from_the_birth_date_and_is_false_when_unknown()
    {
        var profile = WithTraits(ProfileTraits.Empty with { BirthDate = new DateOnly(2006, 6, 16) }, "birth_date");
        Assert.True(Eval("age == 17", profile, Now)); // birthday tomorrow
        Assert.True(Eval("age == 18", profile, Now.AddDays(1)));
        Assert.Equal(["birth_date"], Compile("age >= 18").Inputs);

        var unknown = NewProfile();
        Assert.False(Eval("age >= 0", unknown));
        Assert.False(Eval("age < 200", unknown));
        Assert.False(Eval("age != 1", unknown));
    }

    // ---- consent ----

    [Theory]
    [InlineData("email", ContactChannel.Email)]
    [InlineData("sms", ContactChannel.Sms)]
    [InlineData("phone", ContactChannel.Phone)]
    [InlineData("post", ContactChannel.Post)]
    [InlineData("push", ContactChannel.Push)]
    public void Consent_per_channel(string name, ContactChannel channel)
    {
        var granted = WithConsent(channel, ConsentStatus.Granted);
        var denied = WithConsent(channel, ConsentStatus.Denied);
        var none = NewProfile();
        Assert.Equal(["consent:" + name], Compile($"consent.{name} == granted").Inputs);
        Assert.True(Eval($"consent.{name} == granted", granted));
        Assert.False(Eval($"consent.{name} == granted", denied));
        Assert.True(Eval($"consent.{name} == denied", denied));
        Assert.True(Eval($"consent.{name} != granted", denied));
        Assert.True(Eval($"consent.{name} == unknown", none));
        Assert.True(Eval($"granted == consent.{name}", granted));
    }

    // ---- sets and strings ----

    [Fact]
    public void Interests_membership_both_ways_ignoring_case()
    {
        var profile = WithTraits(
            ProfileTraits.Empty with { Preferences = Preferences.Empty with { Interests = ["running", "Cycling"] } },
            "preferences.interests");
        Assert.True(Eval("interests contains \"running\"", profile));
        Assert.True(Eval("\"running\" in interests", profile));
        Assert.True(Eval("\"cycling\" in interests", profile));
        Assert.False(Eval("interests contains \"swimming\"", profile));
        Assert.False(Eval("\"swimming\" in interests", NewProfile()));
        Assert.True(Eval("not \"swimming\" in interests", profile));
        Assert.Equal(["interests"], Compile("interests contains \"x\"").Inputs);
    }

    [Fact]
    public void Strings_compare_for_equality_and_unset_equals_nothing()
    {
        var profile = WithTraits(ProfileTraits.Empty with { LoyaltyTier = "gold", Locale = "fr-FR" }, "loyalty_tier", "locale");
        Assert.True(Eval("loyalty_tier == \"gold\"", profile));
        Assert.True(Eval("loyalty_tier == \"GOLD\"", profile));
        Assert.False(Eval("loyalty_tier != \"gold\"", profile));
        Assert.True(Eval("locale == \"fr-FR\"", profile));
        Assert.True(Eval("locale != \"en-GB\"", profile));
        Assert.True(Eval("\"fr-FR\" == locale", profile));
        Assert.Equal(["locale", "loyalty_tier"], Compile("loyalty_tier == \"gold\" or locale == \"fr-FR\"").Inputs.Order(StringComparer.Ordinal));

        var unset = NewProfile();
        Assert.False(Eval("loyalty_tier == \"gold\"", unset));
        Assert.True(Eval("loyalty_tier != \"gold\"", unset));
    }

    [Fact]
    public void String_literals_support_escapes_and_unicode()
    {
        var profile = WithTraits(ProfileTraits.Empty with { LoyaltyTier = "or \"spécial\" 🚀" }, "loyalty_tier");
        Assert.True(Eval("loyalty_tier == \"or \\\"spécial\\\" 🚀\"", profile));
    }

    // ---- boolean structure ----

    [Theory]
    [InlineData("orders == 1 or orders == 2 and orders == 3", true)] // or(1, and(2, 3)): the first holds
    [InlineData("(orders == 1 or orders == 2) and orders == 3", false)]
    [InlineData("orders == 2 or orders == 1 and orders == 3", false)]
    [InlineData("orders == 3 and orders == 2 or orders == 1", true)] // or(and(3, 2), 1)
    [InlineData("not orders == 1", false)]
    [InlineData("not not orders == 1", true)]
    [InlineData("not (orders == 1 or orders == 5)", false)]
    [InlineData("not orders == 5 and orders == 1", true)] // not binds tighter than and
    [InlineData("((((orders == 1))))", true)]
    [InlineData("orders == 1\n  and\tspend(EUR) == 10", true)]
    public void Precedence_and_parentheses(string rule, bool expected) =>
        Assert.Equal(expected, Eval(rule, Buyer((10m, Now.AddDays(-1)))));

    [Fact]
    public void A_compiled_rule_is_reusable_across_profiles_and_instants()
    {
        var rule = Compile("count(purchase, 7d) >= 1");
        var profile = Buyer((10m, Now.AddDays(-1)));
        Assert.True(rule.Evaluate(profile, Now));
        Assert.False(rule.Evaluate(profile, Now.AddDays(10)));
        Assert.False(rule.Evaluate(NewProfile(), Now));
        Assert.Equal("count(purchase, 7d) >= 1", rule.Text);
    }

    // ---- errors ----

    [Fact]
    public void Comparing_a_number_with_a_consent_status_is_a_type_error_at_the_operator()
    {
        var error = Error("count(purchase, 30d) == granted");
        Assert.Equal("cannot compare a number with a consent status", error.Message);
        Assert.Equal(new RulePosition(21, 1, 22), error.Position);
        Assert.Equal(["a number"], error.Expected);
    }

    [Theory]
    [InlineData("consent.email > granted", 14, "operator '>' does not apply to a consent status", "==")]
    [InlineData("loyalty_tier < \"gold\"", 13, "operator '<' does not apply to a string", "!=")]
    [InlineData("interests == \"x\"", 10, "operator '==' does not apply to a set of strings", "contains")]
    [InlineData("orders == \"5\"", 7, "cannot compare a number with a string", "a number")]
    [InlineData("interests contains 5", 19, "a set of strings can only contain a string, found a number", "a string")]
    [InlineData("orders contains \"x\"", 0, "'contains' needs a set of strings on its left, found a number", "interests")]
    [InlineData("\"x\" in locale", 7, "'in' needs a set of strings on its right, found a string", "interests")]
    public void Operator_type_errors(string rule, int offset, string message, string expected)
    {
        var error = Error(rule);
        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Position.Offset);
        Assert.Contains(expected, error.Expected);
    }

    [Theory]
    [InlineData("count(purchases, 30d) > 1", 6, "unknown event type 'purchases'", "purchase")]
    [InlineData("count(purchase, 31d) > 1", 16, "unknown window '31d'", "30d")]
    [InlineData("count(purchase) > 1", 0, "count takes 2 arguments, found 1", "count(<event_type>, <window>)")]
    [InlineData("count(purchase, 7d, 1h) > 1", 20, "count takes 2 arguments, found 3", "count(<event_type>, <window>)")]
    [InlineData("consent.fax == granted", 8, "unknown consent channel 'fax'", "push")]
    [InlineData("consent == granted", 0, "'consent' needs a channel, e.g. consent.email", "consent.email")]
    [InlineData("sum(purchase) > 1", 0, "unknown function 'sum'", "days_since")]
    [InlineData("orderz > 1", 0, "unknown name 'orderz'", "orders")]
    [InlineData("customer.age > 1", 0, "unknown name 'customer.age'", "age")]
    [InlineData("days_since(birthday) > 1", 11, "days_since does not know 'birthday'", "last_purchase")]
    [InlineData("last_purchase > 1", 0, "'last_purchase' is a date: use days_since(last_purchase)", "days_since(last_purchase)")]
    [InlineData("spend(EURO) > 1", 6, "'EURO' is not a currency code", "a 3-letter ISO 4217 currency code, e.g. EUR")]
    [InlineData("spend > 1", 0, "'spend' is a function and needs arguments", "spend(...)")]
    [InlineData("orders > granted", 7, "cannot compare a number with a consent status", "a number")]
    public void Name_errors_say_what_was_expected(string rule, int offset, string message, string expected)
    {
        var error = Error(rule);
        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Position.Offset);
        Assert.Contains(expected, error.Expected);
    }

    [Fact]
    public void Every_type_error_is_reported_with_its_line_and_column()
    {
        var result = SegmentRule.Compile("count(purchse, 30d) > 1\nand consent.fax == granted\n  and age == denied");
        Assert.False(result.Succeeded);
        Assert.Collection(
            result.Errors,
            e => Assert.Equal((new RulePosition(6, 1, 7), "unknown event type 'purchse'"), (e.Position, e.Message)),
            e => Assert.Equal((new RulePosition(36, 2, 13), "unknown consent channel 'fax'"), (e.Position, e.Message)),
            e => Assert.Equal((new RulePosition(61, 3, 11), "cannot compare a number with a consent status"), (e.Position, e.Message)));
        Assert.Contains("line 2, column 13", result.Errors[1].ToString());
    }

    [Theory]
    [InlineData("", 0, "a rule is required")]
    [InlineData("   ", 3, "a rule is required")]
    [InlineData("orders", 6, "expected a comparison operator, found the end of the rule")]
    [InlineData("orders = 1", 7, "expected a comparison operator, found '='")]
    [InlineData("orders ==", 9, "expected a value, found the end of the rule")]
    [InlineData("orders == 1 and", 15, "expected a condition, found the end of the rule")]
    [InlineData("orders == 1 or ) ", 15, "expected a condition, found ')'")]
    [InlineData("(orders == 1", 12, "expected ')', found the end of the rule")]
    [InlineData("orders == 1)", 11, "unexpected ')' after a complete condition")]
    [InlineData("orders == 1 orders == 2", 12, "unexpected 'orders' after a complete condition")]
    [InlineData("orders == 1 && orders == 2", 12, "unexpected '&' after a complete condition")]
    [InlineData("count(purchase 30d) > 1", 15, "expected ',' or ')' in the argument list, found '30d'")]
    [InlineData("count() > 1", 6, "expected a function argument, found ')'")]
    [InlineData("consent. == granted", 9, "expected a name after '.', found '='")]
    [InlineData("not", 3, "expected a condition, found the end of the rule")]
    [InlineData("café == 1", 3, "expected a comparison operator, found 'é'")]
    public void Syntax_errors_give_the_position_and_what_was_expected(string rule, int offset, string message)
    {
        var error = Error(rule);
        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Position.Offset);
        Assert.Equal(1, error.Position.Line);
        Assert.Equal(offset + 1, error.Position.Column);
        if (message.StartsWith("expected a comparison operator", StringComparison.Ordinal))
        {
            Assert.Equal(["==", "!=", ">", ">=", "<", "<=", "contains", "in"], error.Expected);
        }
        else if (message.StartsWith("unexpected", StringComparison.Ordinal))
        {
            Assert.Equal(["and", "or", "end of rule"], error.Expected);
        }
        else
        {
            Assert.NotEmpty(error.Expected);
        }
    }

    [Theory]
    [InlineData("loyalty_tier == \"gold", 16, "unterminated string")]
    [InlineData("\"gold", 0, "unterminated string")]
    [InlineData("orders > 99999999999999999999999999999999999999", 9, "number out of range")]
    public void Literal_errors(string rule, int offset, string message)
    {
        var error = Error(rule);
        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Position.Offset);
        Assert.NotEmpty(error.Expected);
    }

    [Fact]
    public void Syntax_error_positions_count_lines_and_columns()
    {
        var error = Error("orders == 1\nand\n   spend(EUR) >");
        Assert.Equal(new RulePosition(31, 3, 16), error.Position);
        Assert.Equal("expected a value, found the end of the rule", error.Message);
        Assert.Contains("count(...)", error.Expected);
    }

    // ---- limits and hostile input ----

    [Fact]
    public void Rules_longer_than_the_limit_are_refused()
    {
        var text = string.Join(" or ", Enumerable.Repeat("orders == 1", 200));
        Assert.True(text.Length > SegmentRule.MaxLength);
        var error = Error(text);
        Assert.Equal(SegmentRule.MaxLength, error.Position.Offset);
        Assert.Contains("2000", error.Message);

        var fits = string.Join(" or ", Enumerable.Repeat("orders == 1", 130));
        Assert.True(fits.Length <= SegmentRule.MaxLength);
        Assert.True(Eval(fits, Buyer((1m, Now))));
    }

    [Fact]
    public void Nesting_is_limited_without_overflowing_the_stack()
    {
        var ok = new string('(', SegmentRule.MaxDepth) + "orders == 0" + new string(')', SegmentRule.MaxDepth);
        Assert.True(Eval(ok, NewProfile()));

        var deep = new string('(', SegmentRule.MaxDepth + 1) + "orders == 0" + new string(')', SegmentRule.MaxDepth + 1);
        var error = Error(deep);
        Assert.Equal(SegmentRule.MaxDepth, error.Position.Offset);
        Assert.Contains("nested", error.Message);

        // Parentheses inside strings do not count.
        Assert.True(Eval("loyalty_tier != \"" + new string('(', 100) + "\"", NewProfile()));

        Error(new string('(', 1_999));
        Error(new string('(', 100_000));
    }

    [Fact]
    public void Long_chains_of_not_are_folded()
    {
        var text = string.Concat(Enumerable.Repeat("not ", 400)) + "orders == 0";
        Assert.True(text.Length <= SegmentRule.MaxLength);
        Assert.True(Eval(text, NewProfile()));
        Assert.False(Eval("not " + text, NewProfile()));
    }

    public static TheoryData<string> Hostile() =>
    [
        "\0",
        "\"unterminated",
        "\"\\",
        "orders == 99999999999999999999999999999999999999999999999",
        "orders == " + new string('9', 1_990),
        "orders == 1." + new string('1', 500),
        "🚀 == 1",
        "orders == 1 🚀",
        "\uD800 == 1",
        "orders == \"\uDC00\"",
        "ｏｒｄｅｒｓ == 1",
        "count(" + new string('a', 1_990) + ")",
        new string(')', 500),
        string.Concat(Enumerable.Repeat("not ", 600)),
        string.Concat(Enumerable.Repeat("(not ", 40)),
        "orders == 1 and " + new string(' ', 1_980),
        "\r\n\t\v\f",
        "count(purchase,,30d) > 1",
        "consent.email.x == granted",
        "-",
        "--1 == 1",
        "1 == 1",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_input_never_throws(string text)
    {
        var result = SegmentRule.Compile(text);
        Assert.True(result.Succeeded != (result.Errors.Count > 0));
        foreach (var error in result.Errors)
        {
            Assert.InRange(error.Position.Offset, 0, text.Length);
            Assert.True(error.Position.Line >= 1 && error.Position.Column >= 1);
            Assert.False(string.IsNullOrEmpty(error.Message));
        }

        result.Rule?.Evaluate(NewProfile(), Now);
    }

    [Fact]
    public void Null_text_is_an_error_not_an_exception()
    {
        var result = SegmentRule.Compile(null);
        Assert.Equal("a rule is required", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Scores_in_a_rule_follow_the_scoring_options_it_was_compiled_with()
    {
        var buyer = Buyer((60m, Now.AddDays(-3)));
        var generous = new ScoringOptions { MonetaryScore1 = 10, MonetaryScore2 = 20, MonetaryScore3 = 30, MonetaryScore4 = 40, MonetaryScore5 = 50 };

        Assert.False(Compile("monetary >= 5").Evaluate(buyer, Now));
        Assert.True(SegmentRule.Compile("monetary >= 5", generous).Rule!.Evaluate(buyer, Now));

        var condition = new ExpressionCondition("monetary >= 5");
        Assert.False(condition.Holds(buyer, Now));
        condition.CompileWith(generous);
        Assert.True(condition.Holds(buyer, Now));
    }

    [Fact]
    public void Rules_read_who_the_customer_is_where_they_live_and_what_they_do()
    {
        var customer = WithTraits(
            ProfileTraits.Empty with
            {
                Gender = Gender.Female,
                Occupation = "nurse",
                Company = new Company("Boulangerie Martin", 12, null, "SARL", "food"),
                Addresses = [new PostalAddress("home", ["12 rue de la Paix"], "20167", "Ajaccio", null, "FR")],
                Preferences = Preferences.Empty with { FavouriteDepartment = "sport", LifeEvents = ["moved"], Sports = ["running"] },
            },
            "gender", "occupation", "company", "addresses", "preferences");
        var nobody = NewProfile();

        foreach (var rule in new[]
        {
            "gender == \"female\"", "occupation == \"Nurse\"", "company == \"boulangerie martin\"", "industry == \"food\"",
            "favourite_department == \"sport\"", "\"moved\" in life_events", "sports contains \"running\"",
            "country == \"FR\"", "postal_code == \"20167\"", "department == \"2A\"", "region == \"Corse\"",
        })
        {
            Assert.True(Eval(rule, customer), rule);
            Assert.False(Eval(rule, nobody), rule);
        }

        Assert.Equal(["addresses"], Compile("region == \"Corse\"").Inputs);
    }

    [Fact]
    public void Rules_read_what_the_customers_contact_points_say()
    {
        var customer = NewProfile();
        customer.AddIdentifiers([new CustomerIdentifier(IdentifierType.Email, "lea@boulangerie-martin.fr"), new CustomerIdentifier(IdentifierType.Phone, "+33612345678")], Now);

        Assert.True(Eval("email_kind == \"corporate\"", customer));
        Assert.True(Eval("phone_country == \"FR\" and phone_type == \"mobile\"", customer));
        Assert.False(Eval("email_kind == \"free\"", customer));
        Assert.Equal(["identifiers"], Compile("email_kind == \"free\"").Inputs);
    }
}

internal static class RuleTestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
