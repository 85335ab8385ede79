namespace ProfileGrains.Domain.Rules;

/// <summary>
/// Type-checks a parsed rule and turns it into closures, once: evaluating the result reads the profile and nothing else.
/// Every type error is reported (not only the first), each at its position.
/// </summary>
public static class RuleCompiler
{
    internal static readonly IReadOnlyDictionary<string, EventType> EventTypes = new Dictionary<string, EventType>(StringComparer.Ordinal)
    {
        ["purchase"] = EventType.Purchase,
        ["product_view"] = EventType.ProductView,
        ["page_view"] = EventType.PageView,
        ["add_to_cart"] = EventType.AddToCart,
        ["remove_from_cart"] = EventType.RemoveFromCart,
        ["store_visit"] = EventType.StoreVisit,
        ["email_open"] = EventType.EmailOpen,
        ["email_click"] = EventType.EmailClick,
        ["message_sent"] = EventType.MessageSent,
        ["support_contact"] = EventType.SupportContact,
        ["satisfaction"] = EventType.Satisfaction,
        ["review"] = EventType.Review,
        ["custom"] = EventType.Custom,
        ["return"] = EventType.Return,
        ["message_delivered"] = EventType.MessageDelivered,
        ["message_bounced"] = EventType.MessageBounced,
        ["unsubscribe"] = EventType.Unsubscribe,
        ["subscription_start"] = EventType.SubscriptionStart,
        ["subscription_stop"] = EventType.SubscriptionStop,
    };

    private static readonly IReadOnlyDictionary<string, TimeSpan?> Durations = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromDays(1),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
        ["90d"] = TimeSpan.FromDays(90),
        ["365d"] = TimeSpan.FromDays(365),
        ["lifetime"] = null,
    };

    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly IReadOnlyDictionary<string, DayOfWeek> Weekdays = Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    internal static readonly IReadOnlyDictionary<string, CounterWindow> Windows = new Dictionary<string, CounterWindow>(StringComparer.Ordinal)
    {
        ["1h"] = CounterWindow.OneHour,
        ["24h"] = CounterWindow.OneDay,
        ["7d"] = CounterWindow.SevenDays,
        ["30d"] = CounterWindow.ThirtyDays,
        ["90d"] = CounterWindow.NinetyDays,
        ["365d"] = CounterWindow.OneYear,
        ["lifetime"] = CounterWindow.Lifetime,
    };

    internal static readonly IReadOnlyDictionary<string, ContactChannel> Channels = new Dictionary<string, ContactChannel>(StringComparer.Ordinal)
    {
        ["email"] = ContactChannel.Email,
        ["sms"] = ContactChannel.Sms,
        ["phone"] = ContactChannel.Phone,
        ["post"] = ContactChannel.Post,
        ["push"] = ContactChannel.Push,
        ["in_store"] = ContactChannel.InStore,
    };

    private static readonly IReadOnlyDictionary<string, ConsentStatus> Statuses = new Dictionary<string, ConsentStatus>(StringComparer.Ordinal)
    {
        ["granted"] = ConsentStatus.Granted,
        ["denied"] = ConsentStatus.Denied,
        ["unknown"] = ConsentStatus.Unknown,
        ["withdrawn"] = ConsentStatus.Withdrawn,
    };

    private static readonly IReadOnlyList<string> Functions =
        ["count", "spend", "days_since", "hours_since", "consent", "cart_value", "refunded", "categories_bought", "categories_viewed", "skus_bought", "skus_viewed", "clicked_campaigns", "visit_share", "attribute", "attribute_number", "enriched", "days_since_life_event"];
    private static readonly IReadOnlyList<string> PurchaseDates = ["last_purchase", "first_purchase"];

    private enum Kind
    {
        Invalid,
        Number,
        Consent,
        Text,
        Set,
    }

    /// <summary>A typed value: exactly the getter matching <see cref="Kind"/> is set.</summary>

    private static decimal? Score(CustomerScores s, string name) => name switch
    {
        "recency" => s.Recency,
        "frequency" => s.Frequency,
        "monetary" => s.Monetary,
        "churn_risk" => (decimal)s.ChurnRisk,
        "engagement" => s.Engagement,
        "value" => s.HistoricalValue,
        _ => s.ExpectedValue,
    };

    private sealed record Typed(
        Kind Kind,
        Func<CustomerProfile, DateTimeOffset, decimal?>? Number = null,
        Func<CustomerProfile, ConsentStatus>? Consent = null,
        Func<CustomerProfile, DateTimeOffset, string?>? Text = null,
        Func<CustomerProfile, DateTimeOffset, IReadOnlyList<string>>? Set = null,
        Func<CustomerProfile, DateTimeOffset, string, bool>? Has = null)
    {
        public static readonly Typed Invalid = new(Kind.Invalid);
    }

    /// <summary>
    /// Scores in rules are computed with the engine's <paramref name="scoring"/> options, so a rule and the profile a
    /// client reads agree on a customer's RFM cell.
    /// </summary>
    public static RuleCompilation Compile(string text, BoolNode tree, ScoringOptions scoring)
    {
        var context = new Context(text, scoring);
        var evaluate = context.Bool(tree);
        return context.Errors.Count > 0
            ? RuleCompilation.Failure(context.Errors)
            : RuleCompilation.Success(new CompiledRule(text, evaluate, System.Collections.Immutable.ImmutableSortedSet.CreateRange(StringComparer.Ordinal, context.Inputs)));
    }

    private sealed class Context(string text, ScoringOptions scoring)
    {
        private static readonly Func<CustomerProfile, DateTimeOffset, bool> Never = static (_, _) => false;

        public List<RuleError> Errors { get; } = [];

        public SortedSet<string> Inputs { get; } = new(StringComparer.Ordinal);

        private void Error(int offset, string message, IReadOnlyList<string> expected) =>
            Errors.Add(new RuleError(RulePosition.NextToken(text, offset), message, expected));

        public Func<CustomerProfile, DateTimeOffset, bool> Bool(BoolNode node)
        {
            switch (node)
            {
                case AllNode all:
                {
                    var parts = all.Operands.Select(Bool).ToArray();
                    return (p, now) =>
                    {
                        foreach (var part in parts)
                        {
                            if (!part(p, now))
                            {
                                return false;
                            }
                        }

                        return true;
                    };
                }

                case AnyNode any:
                {
                    var parts = any.Operands.Select(Bool).ToArray();
                    return (p, now) =>
                    {
                        foreach (var part in parts)
                        {
                            if (part(p, now))
                            {
                                return true;
                            }
                        }

                        return false;
                    };
                }

                case NotNode not:
                {
                    var operand = Bool(not.Operand);
                    return (p, now) => !operand(p, now);
                }

                case ComparisonNode comparison:
                    return Comparison(comparison);
                default:
                    Error(node.Offset, "unsupported expression", []);
                    return static (_, _) => false;
            }
        }

        private Func<CustomerProfile, DateTimeOffset, bool> Comparison(ComparisonNode node)
        {
            var left = Value(node.Left);
            var right = Value(node.Right);
            if (left.Kind == Kind.Invalid || right.Kind == Kind.Invalid)
            {
                return Never;
            }

            if (node.Operator is "contains" or "in")
            {
                return SetOperator(node, left, right);
            }

            if (left.Kind == Kind.Set || right.Kind == Kind.Set)
            {
                Error(node.OperatorOffset, $"operator '{node.Operator}' does not apply to a set of strings", ["contains", "in"]);
                return Never;
            }

            if (left.Kind != right.Kind)
            {
                Error(node.OperatorOffset, $"cannot compare {Describe(left.Kind)} with {Describe(right.Kind)}", [Describe(left.Kind)]);
                return Never;
            }

            return SameKind(node, left, right);
        }

        /// <summary>"interests contains x" and "x in interests".</summary>
        private Func<CustomerProfile, DateTimeOffset, bool> SetOperator(ComparisonNode node, Typed left, Typed right)
        {
            if (node.Operator == "contains")
            {
                if (left.Kind == Kind.Set)
                {
                    return Membership(left, right, node.Right.Offset);
                }

                Error(node.Left.Offset, $"'contains' needs a set of strings on its left, found {Describe(left.Kind)}", ["interests"]);
                return Never;
            }

            if (right.Kind == Kind.Set)
            {
                return Membership(right, left, node.Left.Offset);
            }

            Error(node.Right.Offset, $"'in' needs a set of strings on its right, found {Describe(right.Kind)}", ["interests"]);
            return Never;
        }

        private Func<CustomerProfile, DateTimeOffset, bool> SameKind(ComparisonNode node, Typed left, Typed right)
        {
            var negate = node.Operator == "!=";
            switch (left.Kind)
            {
                case Kind.Number:
                {
                    var (l, r) = (left.Number!, right.Number!);
                    var op = NumberOperator(node.Operator);

                    // An unknown value (no purchase yet, no birth date) makes the comparison false, whatever the operator.
                    return (p, now) => l(p, now) is { } a && r(p, now) is { } b && op(a, b);
                }

                case Kind.Consent when node.Operator is "==" or "!=":
                {
                    var (l, r) = (left.Consent!, right.Consent!);
                    return (p, _) => (l(p) == r(p)) != negate;
                }

                case Kind.Text when node.Operator is "==" or "!=":
                {
                    var (l, r) = (left.Text!, right.Text!);

                    // An unset string equals no string.
                    return (p, now) => (l(p, now) is { } a && r(p, now) is { } b && string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) != negate;
                }

                default:
                    Error(node.OperatorOffset, $"operator '{node.Operator}' does not apply to {Describe(left.Kind)}", ["==", "!="]);
                    return Never;
            }
        }

        private static Func<decimal, decimal, bool> NumberOperator(string op) => op switch
        {
            "==" => static (a, b) => a == b,
            "!=" => static (a, b) => a != b,
            ">" => static (a, b) => a > b,
            ">=" => static (a, b) => a >= b,
            "<" => static (a, b) => a < b,
            _ => static (a, b) => a <= b,
        };

        private Func<CustomerProfile, DateTimeOffset, bool> Membership(Typed set, Typed item, int itemOffset)
        {
            if (item.Kind != Kind.Text)
            {
                Error(itemOffset, $"a set of strings can only contain a string, found {Describe(item.Kind)}", ["a string"]);
                return static (_, _) => false;
            }

            // A computed set (categories bought, anomalies…) answers membership itself, without being built.
            if (set.Has is { } has)
            {
                var text = item.Text!;
                return (p, now) => text(p, now) is { } value && has(p, now, value);
            }

            var (s, i) = (set.Set!, item.Text!);
            return (p, now) => i(p, now) is { } value && Contains(s(p, now), value);
        }

        private static bool Contains(IReadOnlyList<string> set, string value)
        {
            foreach (var item in set)
            {
                if (string.Equals(item, value, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private Typed Value(ValueNode node)
        {
            switch (node)
            {
                case NumberNode number:
                {
                    decimal? value = number.Value;
                    return new Typed(Kind.Number, Number: (_, _) => value);
                }

                case StringNode str:
                {
                    var value = str.Value;
                    return new Typed(Kind.Text, Text: (_, _) => value);
                }

                case NameNode name:
                    return Name(name);
                case CallNode call:
                    return Call(call);
                default:
                    Error(node.Offset, "unsupported value", RuleParser.ValueStarts);
                    return Typed.Invalid;
            }
        }

        private Typed Name(NameNode node)
        {
            if (node.Name == "consent")
            {
                return Consent(node);
            }

            if (node.Member is not null)
            {
                Error(node.Offset, $"unknown name '{node.Name}.{node.Member}'", RuleParser.ValueStarts);
                return Typed.Invalid;
            }

            if (Statuses.TryGetValue(node.Name, out var status))
            {
                return new Typed(Kind.Consent, Consent: _ => status);
            }

            return ProfileValue(node);
        }

        /// <summary>consent.email, consent.sms…: the customer's decision for that channel.</summary>
        private Typed Consent(NameNode node)
        {
            if (node.Member is null)
            {
                Error(node.Offset, "'consent' needs a channel, e.g. consent.email", [.. Channels.Keys.Select(c => "consent." + c)]);
                return Typed.Invalid;
            }

            if (!Channels.TryGetValue(node.Member, out var channel))
            {
                Error(node.MemberOffset, $"unknown consent channel '{node.Member}'", [.. Channels.Keys]);
                return Typed.Invalid;
            }

            Inputs.Add("consent:" + node.Member);
            return new Typed(Kind.Consent, Consent: p => p.ConsentFor(channel));
        }

        /// <summary>A plain name: a trait, a transaction figure or a score of the profile.</summary>
        private Typed ProfileValue(NameNode node)
        {
            switch (node.Name)
            {
                case "orders":
                    Inputs.Add("orders");
                    return new Typed(Kind.Number, Number: (p, _) => p.Transactions.OrderCount);
                case "age":
                    Inputs.Add("birth_date");
                    return new Typed(Kind.Number, Number: (p, now) => Age(p.Traits.BirthDate, now));
                case "interests":
                    Inputs.Add("interests");
                    return new Typed(Kind.Set, Set: (p, _) => p.Traits.Preferences.Interests);
                case "loyalty_tier":
                    Inputs.Add("loyalty_tier");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.LoyaltyTier);
                case "locale":
                    Inputs.Add("locale");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Locale);
                case "gender":
                    Inputs.Add("gender");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Gender == Gender.Unspecified ? null : SnakeCaseNames.Of(p.Traits.Gender));
                case "occupation":
                    Inputs.Add("occupation");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Occupation);
                case "company":
                    Inputs.Add("company");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Company?.Name);
                case "industry":
                    Inputs.Add("company");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Company?.Industry);
                case "favourite_department":
                    Inputs.Add("preferences");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Preferences.FavouriteDepartment);
                case "life_events":
                    Inputs.Add("preferences");
                    return new Typed(Kind.Set, Set: (p, _) => p.Traits.Preferences.AllLifeEvents);
                case "sports":
                    Inputs.Add("preferences");
                    return new Typed(Kind.Set, Set: (p, _) => p.Traits.Preferences.Sports);
                case "country":
                    Inputs.Add("addresses");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Addresses.Select(a => a.CountryCode).FirstOrDefault(c => c is not null));
                case "postal_code":
                    Inputs.Add("addresses");
                    return new Typed(Kind.Text, Text: (p, _) => p.Traits.Addresses.Select(a => a.PostalCode).FirstOrDefault(c => c is not null));
                case "department":
                    Inputs.Add("addresses");
                    return new Typed(Kind.Text, Text: (p, _) => FrenchGeography.DepartmentOf(p.Traits));
                case "email_kind":
                    Inputs.Add("identifiers");
                    return new Typed(Kind.Text, Text: (p, _) => ContactEnrichment.EmailKind(p.FirstIdentifier(IdentifierType.Email)));
                case "phone_country":
                    Inputs.Add("identifiers");
                    return new Typed(Kind.Text, Text: (p, _) => ContactEnrichment.PhoneCountry(p.FirstIdentifier(IdentifierType.Phone)));
                case "phone_type":
                    Inputs.Add("identifiers");
                    return new Typed(Kind.Text, Text: (p, _) => ContactEnrichment.PhoneType(p.FirstIdentifier(IdentifierType.Phone)));
                case "region":
                    Inputs.Add("addresses");
                    return new Typed(Kind.Text, Text: (p, _) => FrenchGeography.Region(FrenchGeography.DepartmentOf(p.Traits)));
                case "rfm":
                    Inputs.Add("scores");
                    return new Typed(Kind.Text, Text: (p, now) => SnakeCaseNames.Of(ScoresPerEvaluation.Of(p, now, scoring).Segment));
                case "value_tier":
                    Inputs.Add("scores");
                    return new Typed(Kind.Text, Text: (p, now) => ScoresPerEvaluation.Of(p, now, scoring).ValueTier);
                case "channel_mix":
                    Inputs.Add("scores");
                    return new Typed(Kind.Text, Text: (p, now) => SnakeCaseNames.Of(ScoresPerEvaluation.Of(p, now, scoring).ChannelMix));
                case "recency" or "frequency" or "monetary" or "churn_risk" or "engagement" or "value" or "expected_value":
                {
                    Inputs.Add("scores");
                    var name = node.Name;
                    return new Typed(Kind.Number, Number: (p, now) => Score(ScoresPerEvaluation.Of(p, now, scoring), name));
                }

                case "birth_month":
                    Inputs.Add("birth_date");
                    return new Typed(Kind.Number, Number: (p, _) => p.Traits.BirthDate?.Month);
                case "cart_items":
                    Inputs.Add("cart");
                    return new Typed(Kind.Number, Number: (p, _) => p.Cart?.ItemCount ?? 0);
                case "returns":
                    Inputs.Add("returns");
                    return new Typed(Kind.Number, Number: (p, _) => p.Transactions.ReturnCount);
                case "last_satisfaction":
                    Inputs.Add("feedback");
                    return new Typed(Kind.Number, Number: (p, _) => p.Feedback?.LastSatisfaction);
                case "nps_group":
                    Inputs.Add("feedback");
                    return new Typed(Kind.Text, Text: (p, _) => p.Feedback?.NpsGroup);
                case "average_rating":
                    Inputs.Add("feedback");
                    return new Typed(Kind.Number, Number: (p, _) => p.Feedback?.AverageRating);
                case "reviews":
                    Inputs.Add("feedback");
                    return new Typed(Kind.Number, Number: (p, _) => p.Feedback?.Reviews ?? 0);
                case "subscriptions":
                    Inputs.Add("subscriptions");
                    return new Typed(Kind.Set, Set: (p, _) => p.Subscriptions?.Active ?? []);
                case "anomalies":
                    Inputs.Add("anomalies");
                    return new Typed(Kind.Set, Set: (p, now) => Anomalies.Detect(p, now, scoring), Has: (p, now, name) => Anomalies.Has(p, now, scoring, name));
                case "last_purchase" or "first_purchase" or "cart_change":
                    Error(node.Offset, $"'{node.Name}' is a date: use days_since({node.Name})", [$"days_since({node.Name})"]);
                    return Typed.Invalid;
                case var function when Functions.Contains(function):
                    Error(node.Offset, $"'{node.Name}' is a function and needs arguments", [$"{node.Name}(...)"]);
                    return Typed.Invalid;
                default:
                    Error(node.Offset, $"unknown name '{node.Name}'", RuleParser.ValueStarts);
                    return Typed.Invalid;
            }
        }

        private Typed Call(CallNode node)
        {
            switch (node.Name)
            {
                case "count":
                    return Count(node);
                case "spend":
                    return Amount(node, "spend", static (p, currency) => p.Transactions.SpendByCurrency.GetValueOrDefault(currency));
                case "days_since":
                    return DaysSincePurchase(node);
                case "hours_since":
                    return HoursSince(node);
                case "cart_value":
                    return Amount(node, "cart", static (p, currency) => p.Cart?.ValueIn(currency) ?? 0m);
                case "refunded":
                    return Amount(node, "returns", static (p, currency) => p.Transactions.RefundedIn(currency));
                case "categories_bought":
                    return Products(node, "bought", categories: true, bought: true);
                case "categories_viewed":
                    return Products(node, "viewed", categories: true, bought: false);
                case "skus_bought":
                    return Products(node, "bought", categories: false, bought: true);
                case "skus_viewed":
                    return Products(node, "viewed", categories: false, bought: false);
                case "clicked_campaigns":
                    return Touched(node, "campaigns", static (p, window, now) => p.Campaigns?.ClickedWithin(window, now) ?? []);
                case "visit_share":
                    return VisitShare(node);
                case "consent":
                    return ConsentFor(node);
                case "enriched":
                    return Enriched(node);
                case "days_since_life_event":
                {
                    if (!Arity(node, 1, "days_since_life_event(\"<event>\")"))
                    {
                        return Typed.Invalid;
                    }

                    var name = node.Arguments[0].Text;
                    Inputs.Add("life_event_dates");
                    return new Typed(Kind.Number, Number: (p, now) =>
                        p.Traits.Preferences.DatedLifeEvents.TryGetValue(name, out var day)
                            ? DaysSince(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), now)
                            : null);
                }
                case "attribute":
                    return Attribute(node, number: false);
                case "attribute_number":
                    return Attribute(node, number: true);
                default:
                    Error(node.Offset, $"unknown function '{node.Name}'", Functions);
                    return Typed.Invalid;
            }
        }

        /// <summary>spend(EUR), cart_value(EUR), refunded(EUR): an amount in one currency, never converted.</summary>
        private Typed Amount(CallNode node, string input, Func<CustomerProfile, string, decimal> amount)
        {
            if (!Arity(node, 1, $"{node.Name}(<currency>)"))
            {
                return Typed.Invalid;
            }

            var arg = node.Arguments[0];
            if (arg.Text.Length != 3 || !arg.Text.All(char.IsAsciiLetter))
            {
                Error(arg.Offset, $"'{arg.Text}' is not a currency code", ["a 3-letter ISO 4217 currency code, e.g. EUR"]);
                return Typed.Invalid;
            }

            var currency = arg.Text.ToUpperInvariant();
            Inputs.Add(input);
            return new Typed(Kind.Number, Number: (p, _) => amount(p, currency));
        }

        /// <summary>categories_bought(30d) and the like: a set of names touched within a rolling window (exact, not bucketed).</summary>
        private Typed Touched(CallNode node, string input, Func<CustomerProfile, TimeSpan?, DateTimeOffset, IReadOnlyList<string>> touched)
        {
            if (!Arity(node, 1, $"{node.Name}(<window>)"))
            {
                return Typed.Invalid;
            }

            var arg = node.Arguments[0];
            if (!Durations.TryGetValue(arg.Text, out var window) || arg.Quoted)
            {
                Error(arg.Offset, $"unknown window '{arg.Text}'", [.. Durations.Keys]);
                return Typed.Invalid;
            }

            Inputs.Add(input);
            return new Typed(Kind.Set, Set: (p, now) => touched(p, window, now));
        }

        private Typed Products(CallNode node, string input, bool categories, bool bought)
        {
            var typed = Touched(node, input, (p, window, now) => p.Products?.Within(categories, bought, window, now) ?? []);
            if (typed.Kind == Kind.Invalid)
            {
                return typed;
            }

            var window = Durations[node.Arguments[0].Text];
            return typed with { Has = (p, now, value) => p.Products?.Touched(categories, bought, window, now, value) == true };
        }

        /// <summary>visit_share(december) or visit_share(saturday): percent (0-100) of the customer's visit days; unknown before any.</summary>
        private Typed VisitShare(CallNode node)
        {
            if (!Arity(node, 1, "visit_share(<month or weekday>)"))
            {
                return Typed.Invalid;
            }

            var arg = node.Arguments[0];
            var month = Array.IndexOf(Months, arg.Text) + 1;
            Inputs.Add("visits");
            if (month > 0)
            {
                return new Typed(Kind.Number, Number: (p, _) => p.Visits?.MonthShare(month));
            }

            if (Weekdays.TryGetValue(arg.Text, out var day))
            {
                return new Typed(Kind.Number, Number: (p, _) => p.Visits?.WeekdayShare(day));
            }

            Error(arg.Offset, $"'{arg.Text}' is neither a month nor a day of the week", [.. Months, .. Weekdays.Keys]);
            return Typed.Invalid;
        }

        /// <summary>
        /// consent(purpose) or consent(purpose, channel): the decision in force for that purpose (a retailer's own purpose
        /// by its name), on that channel or, without one, for every channel; compared with granted, denied, withdrawn or unknown.
        /// </summary>
        private Typed ConsentFor(CallNode node)
        {
            if (node.Arguments.Count is < 1 or > 2)
            {
                Arity(node, 2, "consent(<purpose>) or consent(<purpose>, <channel>)");
                return Typed.Invalid;
            }

            var purposeArg = node.Arguments[0];
            var (purpose, name) = purposeArg.Text switch
            {
                "marketing" => (ConsentPurpose.Marketing, (string?)null),
                "personalization" => (ConsentPurpose.Personalization, null),
                "profiling" => (ConsentPurpose.Profiling, null),
                "partner_sharing" => (ConsentPurpose.PartnerSharing, null),
                var own when ConsentDecision.IsPurposeName(own) => (ConsentPurpose.Custom, own),
                _ => ((ConsentPurpose)(-1), null),
            };
            if (!Enum.IsDefined(purpose))
            {
                Error(purposeArg.Offset, $"'{purposeArg.Text}' is not a consent purpose", ["marketing", "personalization", "profiling", "partner_sharing", "a configured purpose"]);
                return Typed.Invalid;
            }

            var channel = ContactChannel.All;
            if (node.Arguments.Count == 2 && !Channels.TryGetValue(node.Arguments[1].Text, out channel))
            {
                Error(node.Arguments[1].Offset, $"unknown consent channel '{node.Arguments[1].Text}'", [.. Channels.Keys]);
                return Typed.Invalid;
            }

            Inputs.Add("consents");
            return new Typed(Kind.Consent, Consent: p => p.ConsentRecordFor(channel, purpose, name)?.Status ?? ConsentStatus.Unknown);
        }

        /// <summary>enriched("phone_region"): what the deployment's enrichers derived (built in or plugged in); unknown when none did.</summary>
        private Typed Enriched(CallNode node)
        {
            if (!Arity(node, 1, "enriched(\"<attribute>\")"))
            {
                return Typed.Invalid;
            }

            var key = node.Arguments[0].Text;
            Inputs.Add("identifiers");
            Inputs.Add("addresses");
            return new Typed(Kind.Text, Text: (p, _) => p.Enriched[key]);
        }

        /// <summary>attribute("size"): a custom attribute as a string; attribute_number("points"): as a number, unknown when it is not one.</summary>
        private Typed Attribute(CallNode node, bool number)
        {
            if (!Arity(node, 1, $"{node.Name}(\"<name>\")"))
            {
                return Typed.Invalid;
            }

            var key = node.Arguments[0].Text;
            Inputs.Add("custom_attributes");
            if (!number)
            {
                return new Typed(Kind.Text, Text: (p, _) => p.Traits.CustomAttributes.GetValueOrDefault(key));
            }

            return new Typed(Kind.Number, Number: (p, _) =>
                p.Traits.CustomAttributes.GetValueOrDefault(key) is { } text
                && decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value
                    : null);
        }

        /// <summary>hours_since(cart_change): whole hours since the cart last changed, unknown while it is empty (the abandoned-cart clock).</summary>
        private Typed HoursSince(CallNode node)
        {
            if (!Arity(node, 1, "hours_since(cart_change), hours_since(last_purchase) or hours_since(first_purchase)"))
            {
                return Typed.Invalid;
            }

            var arg = node.Arguments[0];
            Func<CustomerProfile, DateTimeOffset?>? anchor = arg.Text switch
            {
                "cart_change" => static p => p.Cart?.LastChangedAt,
                "last_purchase" => static p => p.Transactions.LastPurchaseAt,
                "first_purchase" => static p => p.Transactions.FirstPurchaseAt,
                _ => null,
            };
            if (anchor is null || arg.Quoted)
            {
                Error(arg.Offset, $"hours_since does not know '{arg.Text}'", ["cart_change", .. PurchaseDates]);
                return Typed.Invalid;
            }

            Inputs.Add(arg.Text == "cart_change" ? "cart" : arg.Text);
            return new Typed(Kind.Number, Number: (p, now) => anchor(p) is { } at ? Math.Max(0m, (decimal)Math.Floor((now - at).TotalHours)) : null);
        }

        /// <summary>count(event_type, window): events of a type in a rolling window.</summary>
        private Typed Count(CallNode node)
        {
            if (!Arity(node, 2, "count(<event_type>, <window>)"))
            {
                return Typed.Invalid;
            }

            var (typeArg, windowArg) = (node.Arguments[0], node.Arguments[1]);
            var typeOk = EventTypes.TryGetValue(typeArg.Text, out var type);
            var windowOk = Windows.TryGetValue(windowArg.Text, out var window);
            if (!typeOk)
            {
                Error(typeArg.Offset, $"unknown event type '{typeArg.Text}'", [.. EventTypes.Keys]);
            }

            if (!windowOk)
            {
                Error(windowArg.Offset, $"unknown window '{windowArg.Text}'", [.. Windows.Keys]);
            }

            if (!typeOk || !windowOk)
            {
                return Typed.Invalid;
            }

            Inputs.Add("counters:" + type);
            return new Typed(Kind.Number, Number: (p, now) => p.Counters.Count(type, window, now));
        }

        /// <summary>days_since(last_purchase) or days_since(first_purchase): whole days, unknown before any purchase.</summary>
        private Typed DaysSincePurchase(CallNode node)
        {
            if (!Arity(node, 1, "days_since(last_purchase) or days_since(first_purchase)"))
            {
                return Typed.Invalid;
            }

            var arg = node.Arguments[0];
            switch (arg.Text)
            {
                case "last_purchase":
                    Inputs.Add("last_purchase");
                    return new Typed(Kind.Number, Number: (p, now) => DaysSince(p.Transactions.LastPurchaseAt, now));
                case "first_purchase":
                    Inputs.Add("first_purchase");
                    return new Typed(Kind.Number, Number: (p, now) => DaysSince(p.Transactions.FirstPurchaseAt, now));
                default:
                    Error(arg.Offset, $"days_since does not know '{arg.Text}'", PurchaseDates);
                    return Typed.Invalid;
            }
        }

        private bool Arity(CallNode node, int count, string signature)
        {
            if (node.Arguments.Count == count)
            {
                return true;
            }

            var at = node.Arguments.Count > count ? node.Arguments[count].Offset : node.Offset;
            Error(at, $"{node.Name} takes {count} argument{(count == 1 ? "" : "s")}, found {node.Arguments.Count}", [signature]);
            return false;
        }
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Number => "a number",
        Kind.Consent => "a consent status",
        Kind.Text => "a string",
        Kind.Set => "a set of strings",
        _ => "an invalid value",
    };

    /// <summary>Whole days since <paramref name="at"/>; a date up to the allowed clock skew ahead counts as today. Null when never.</summary>
    internal static decimal? DaysSince(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } when ? Math.Max(0m, (decimal)Math.Floor((now - when).TotalDays)) : null;

    /// <summary>Whole years since the birth date at <paramref name="now"/> (UTC); null when unknown or in the future.</summary>
    internal static decimal? Age(DateOnly? birthDate, DateTimeOffset now)
    {
        if (birthDate is not { } birth)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (birth > today)
        {
            return null;
        }

        var age = today.Year - birth.Year;
        if (today < birth.AddYears(age))
        {
            age--;
        }

        return age;
    }
}
