using Parlot;
using Parlot.Fluent;

namespace ProfileGrains.Domain.Rules;

/// <summary>
/// Parses the segment rule language into a <see cref="BoolNode"/> tree (syntax only; <see cref="RuleCompiler"/> checks types).
/// </summary>
/// <remarks>
/// <para><b>Grammar</b> (white space, including new lines, is free between tokens; keywords and names are case-sensitive):</para>
/// <code>
/// rule       := or EOF
/// or         := and ( "or" and )*
/// and        := unary ( "and" unary )*                 -- "and" binds tighter than "or"
/// unary      := "not"* ( "(" or ")" | comparison )
/// comparison := value op value
/// op         := "==" | "!=" | "&gt;" | "&gt;=" | "&lt;" | "&lt;=" | "contains" | "in"
/// value      := number | string | name ( "." name )? | name "(" argument ( "," argument )* ")"
/// argument   := word | string
/// number     := "-"? digits ( "." digits )?            -- decimal, no exponent, no group separators
/// string     := '"' characters with \" \\ escapes '"'
/// name       := ASCII letter or "_", then ASCII letters, digits or "_"
/// word       := ASCII letters, digits or "_" (e.g. purchase, 30d, EUR)
/// </code>
/// <para><b>Values</b></para>
/// <list type="bullet">
/// <item><c>count(event_type, window)</c>: a number, the events of that type in the window. Event types: purchase,
/// product_view, page_view, add_to_cart, remove_from_cart, store_visit, email_open, email_click, support_contact,
/// satisfaction, review, custom, message_sent. Windows: 1h, 24h, 7d, 30d, 90d, 365d, lifetime (aligned to minute/hour/UTC-day buckets,
/// see <see cref="EventCounter"/>).</item>
/// <item><c>spend(EUR)</c>: a number, lifetime spend in that currency (no conversion; a currency never used is 0).</item>
/// <item><c>orders</c>: a number, the lifetime order count.</item>
/// <item><c>days_since(last_purchase)</c>, <c>days_since(first_purchase)</c>: whole days elapsed (never negative).
/// For a customer who never bought, every comparison with it is false, whatever the operator.</item>
/// <item><c>age</c>: whole years since the birth date. Unknown (or in the future): every comparison with it is false.</item>
/// <item><c>consent.email</c> (also sms, phone, post, push): a consent status, compared with <c>==</c>/<c>!=</c> to
/// <c>granted</c>, <c>denied</c> or <c>unknown</c>. A channel without a decision is <c>unknown</c>.</item>
/// <item><c>interests</c>: a set of strings, tested with <c>interests contains "running"</c> or <c>"running" in interests</c>.</item>
/// <item>Scores, computed as of the evaluation (see <see cref="CustomerScoring"/>): <c>recency</c>, <c>frequency</c>,
/// <c>monetary</c> (1-5, 0 never bought), <c>churn_risk</c> (0-1), <c>engagement</c> (0-100), <c>value</c> and
/// <c>expected_value</c> (reporting currency) are numbers; <c>rfm</c> (champions, loyal, potential_loyalist, new,
/// promising, need_attention, about_to_sleep, at_risk, cannot_lose_them, hibernating, lost, none) and
/// <c>channel_mix</c> (web_only, store_only, omnichannel, none) are strings.</item>
/// <item><c>loyalty_tier</c>, <c>locale</c>: strings, compared with <c>==</c>/<c>!=</c> to a string literal. Unset, they
/// equal no string (so <c>==</c> is false and <c>!=</c> is true).</item>
/// </list>
/// <para>String comparisons (tier, locale, interests) ignore case (ordinal, invariant). Numbers compare with all six
/// operators; consent statuses and strings only with <c>==</c> and <c>!=</c>; anything else is refused when the rule is
/// defined (e.g. <c>count(purchase, 30d) == granted</c>: "cannot compare a number with a consent status").</para>
/// <para><b>Limits</b>: at most <see cref="SegmentRule.MaxLength"/> characters and <see cref="SegmentRule.MaxDepth"/>
/// nested parentheses; beyond them the rule is refused with an error, never a stack overflow.</para>
/// <para><b>Examples</b></para>
/// <code>
/// count(purchase, 30d) &gt;= 2 and spend(EUR) &gt; 500 and consent.email == granted and days_since(last_purchase) &lt; 90
/// (loyalty_tier == "gold" or loyalty_tier == "platinum") and not consent.sms == denied
/// interests contains "running" or "cycling" in interests
/// age &gt;= 18 and locale == "fr-FR" and count(email_click, 7d) &gt; 0
/// orders == 0 and count(add_to_cart, 24h) &gt;= 1
/// </code>
/// </remarks>
public static class RuleParser
{
    internal const string ExpectedCondition = "expected a condition";
    internal const string ExpectedOperator = "expected a comparison operator";
    internal const string ExpectedValue = "expected a value";
    internal const string ExpectedArgument = "expected a function argument";
    internal const string ExpectedCallEnd = "expected ',' or ')' in the argument list";
    internal const string ExpectedClose = "expected ')'";
    internal const string ExpectedMember = "expected a name after '.'";

    internal static readonly IReadOnlyList<string> ValueStarts =
        ["a number", "a string", "count(...)", "spend(...)", "days_since(...)", "orders", "age", "consent.<channel>", "interests", "loyalty_tier", "locale", "gender", "occupation", "company", "industry", "favourite_department", "life_events", "sports", "country", "postal_code", "department", "region", "email_kind", "phone_country", "phone_type", "rfm", "recency", "frequency", "monetary", "churn_risk", "engagement", "value", "expected_value", "channel_mix", "value_tier",
         "birth_month", "cart_items", "cart_value(...)", "hours_since(...)", "categories_bought(...)", "categories_viewed(...)",
         "skus_bought(...)", "skus_viewed(...)", "clicked_campaigns(...)", "returns", "refunded(...)", "last_satisfaction",
         "nps_group", "reviews", "average_rating", "subscriptions", "visit_share(...)", "anomalies", "consent(...)",
         "attribute(...)", "attribute_number(...)", "enriched(...)", "days_since_life_event(...)", "granted", "denied", "withdrawn", "unknown"];

    private static readonly Dictionary<string, IReadOnlyList<string>> ExpectedBySyntaxError = new(StringComparer.Ordinal)
    {
        [ExpectedCondition] = ["not", "(", .. ValueStarts],
        [ExpectedOperator] = ["==", "!=", ">", ">=", "<", "<=", "contains", "in"],
        [ExpectedValue] = ValueStarts,
        [ExpectedArgument] = ["an event type, a window, a currency code, a month or weekday, last_purchase/first_purchase/cart_change, or a quoted name"],
        [ExpectedCallEnd] = [",", ")"],
        [ExpectedClose] = [")", "and", "or"],
        [ExpectedMember] = ["email", "sms", "phone", "post", "push"],
    };

    private sealed record Word(string Text, int Offset);

    private static readonly Parser<(BoolNode Node, int End)> Rule = Build();

    private static Parser<(BoolNode Node, int End)> Build()
    {
        var word = Terms.Pattern(IsWordChar).Then((_, start, _, span) => new Word(span.ToString(), start));
        var name = word.When((_, w) => !char.IsAsciiDigit(w.Text[0]));
        Parser<Word> Keyword(string keyword) => word.When((_, w) => w.Text == keyword);

        var number = Terms.Decimal(NumberOptions.AllowLeadingSign | NumberOptions.AllowDecimalSeparator)
            .Then((_, start, _, value) => (ValueNode)new NumberNode(value, start));
        var text = Terms.String(StringLiteralQuotes.Double)
            .Then((_, start, _, value) => (ValueNode)new StringNode(value.ToString(), start));

        var quotedArgument = Terms.String(StringLiteralQuotes.Double).Then((_, start, _, value) => new ArgumentNode(value.ToString(), start, Quoted: true));
        var arguments = Separated(Terms.Char(','), OneOf(word.Then(w => new ArgumentNode(w.Text, w.Offset)), quotedArgument)).ElseError(ExpectedArgument);
        var call = Terms.Char('(').SkipAnd(arguments).AndSkip(Terms.Char(')').ElseError(ExpectedCallEnd));
        var member = Terms.Char('.').SkipAnd(name.ElseError(ExpectedMember));
        var reference = name.And(ZeroOrOne(member)).And(ZeroOrOne(call)).Then(x =>
        {
            var (head, dottedList, argsList) = x;
            var dotted = dottedList.Count > 0 ? dottedList[0] : null;
            var args = argsList.Count > 0 ? argsList[0] : null;
            var fullName = dotted is null ? head.Text : head.Text + "." + dotted.Text;
            return args is null
                ? (ValueNode)new NameNode(head.Text, dotted?.Text, dotted?.Offset ?? head.Offset, head.Offset)
                : new CallNode(fullName, args, head.Offset);
        });
        var value = OneOf(number, text, reference);

        var symbol = OneOf(Terms.Text("=="), Terms.Text("!="), Terms.Text(">="), Terms.Text("<="), Terms.Text(">"), Terms.Text("<"))
            .Then((_, start, _, op) => new Word(op, start));
        var op = OneOf(symbol, Keyword("contains"), Keyword("in"));
        var comparison = value.And(op.ElseError(ExpectedOperator)).And(value.ElseError(ExpectedValue))
            .Then(x => (BoolNode)new ComparisonNode(x.Item1, x.Item2.Text, x.Item2.Offset, x.Item3));

        var expression = Deferred<BoolNode>();
        var parenthesised = Terms.Char('(').SkipAnd(expression).AndSkip(Terms.Char(')').ElseError(ExpectedClose));
        var unary = ZeroOrMany(Keyword("not")).And(OneOf(parenthesised, comparison).ElseError(ExpectedCondition))
            .Then(x => x.Item1.Count % 2 == 1 ? new NotNode(x.Item2, x.Item1[0].Offset) : x.Item2);
        var all = unary.And(ZeroOrMany(Keyword("and").SkipAnd(unary)))
            .Then(x => x.Item2.Count == 0 ? x.Item1 : new AllNode([x.Item1, .. x.Item2]));
        var any = all.And(ZeroOrMany(Keyword("or").SkipAnd(all)))
            .Then(x => x.Item2.Count == 0 ? x.Item1 : new AnyNode([x.Item1, .. x.Item2]));
        expression.Parser = any;
        return any.Then((_, _, end, node) => (node, end));
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Parses <paramref name="text"/>; on failure returns null and the first syntax error.</summary>
    public static BoolNode? Parse(string text, out RuleError? error)
    {
        error = null;
        if (text.Length > SegmentRule.MaxLength)
        {
            error = new RuleError(RulePosition.At(text, SegmentRule.MaxLength), $"a rule has at most {SegmentRule.MaxLength} characters", []);
            return null;
        }

        if (TooDeep(text) is { } deep)
        {
            error = new RuleError(RulePosition.At(text, deep), $"parentheses are nested more than {SegmentRule.MaxDepth} deep", []);
            return null;
        }

        if (!Rule.TryParse(text, out var result, out ParseError? parseError))
        {
            var message = parseError?.Message ?? ExpectedCondition;
            var offset = parseError?.Position.Offset ?? 0;
            var expected = ExpectedBySyntaxError.GetValueOrDefault(message) ?? [];
            var position = RulePosition.NextToken(text, offset);
            if (message is ExpectedValue or ExpectedCondition && position.Offset < text.Length)
            {
                var c = text[position.Offset];
                if (c == '"')
                {
                    error = new RuleError(position, "unterminated string", ["a closing '\"'"]);
                    return null;
                }

                if (char.IsAsciiDigit(c))
                {
                    error = new RuleError(position, "number out of range", ["a number of at most 28 significant digits"]);
                    return null;
                }
            }

            error = new RuleError(position, position.Offset >= text.Length ? $"{message}, found the end of the rule" : $"{message}, found {Describe(text, position.Offset)}", expected);
            return null;
        }

        var rest = RulePosition.NextToken(text, result.End);
        if (rest.Offset < text.Length)
        {
            error = new RuleError(rest, $"unexpected {Describe(text, rest.Offset)} after a complete condition", ["and", "or", "end of rule"]);
            return null;
        }

        return result.Node;
    }

    /// <summary>The offset of the first parenthesis nested deeper than allowed (strings skipped), or null.</summary>
    private static int? TooDeep(string text)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '(')
            {
                if (++depth > SegmentRule.MaxDepth)
                {
                    return i;
                }
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
        }

        return null;
    }

    private static string Describe(string text, int offset)
    {
        var end = offset;
        while (end < text.Length && end - offset < 20 && IsWordChar(text[end]))
        {
            end++;
        }

        if (end == offset)
        {
            end = char.IsHighSurrogate(text[offset]) && offset + 1 < text.Length ? offset + 2 : offset + 1;
        }

        return $"'{text[offset..end]}'";
    }
}
