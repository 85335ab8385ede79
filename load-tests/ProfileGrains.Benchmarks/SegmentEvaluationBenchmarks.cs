using BenchmarkDotNet.Attributes;
using ProfileGrains.Domain;

namespace ProfileGrains.Benchmarks;

/// <summary>
/// The cost of keeping 100 segments live for one event, on a realistic profile: what every Track pays in a customer
/// grain. Issue goal: at most 10 µs for 100 segments per event. Kind 8 uses the whole record's vocabulary (the cart's
/// clock, categories bought and viewed in a window).
/// </summary>
[MemoryDiagnoser]
public class SegmentEvaluationBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 30, 0, TimeSpan.Zero);
    private static readonly CustomerIdentifier Email = new(IdentifierType.Email, "jeanne@client-mail.fr");
    private SegmentDefinition[] _segments = [];
    private SegmentIndex _index = null!;
    private CustomerProfile _profile = null!;
    private IReadOnlyList<string> _held = [];
    private TrackedEvent _pageView = null!;
    private TrackedEvent _purchase = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _profile = new CustomerProfile();
        _profile.EnsureCreated("0192abcd0000700080000000000000aa", Now.AddDays(-400));
        _profile.ApplyTraits(new TraitsUpdate(new ProfileTraits
        {
            Consents = [new ConsentDecision(ContactChannel.Email, ConsentStatus.Granted, Now.AddDays(-100), "web")],
            Preferences = Preferences.Empty with { Interests = ["running", "camping"] },
            LoyaltyTier = "gold",
        }, ["consents", "preferences.interests", "loyalty_tier"]), Now.AddDays(-100));
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var at = Now.AddMinutes(-random.Next(0, 60 * 24 * 365));
            _profile.Apply(i % 25 == 0
                ? Purchase($"p{i}", at, 20 + random.Next(200))
                : new TrackedEvent($"v{i}", i % 3 == 0 ? EventType.ProductView : EventType.PageView, at, Channel.Web, [Email],
                    i % 3 == 0 ? new ProductPayload($"SKU-{i % 40}", $"category-{i % 7}", 1, null) : new PageViewPayload("/home")), Now);
        }

        _segments = [.. Enumerable.Range(0, 100).Select(Segment)];
        _index = new SegmentIndex(_segments);
        _held = [.. SegmentEvaluator.MatchingSegments(_segments, _profile, Now)];
        _pageView = new TrackedEvent("page", EventType.PageView, Now, Channel.Web, [Email], new PageViewPayload("/home"));
        _purchase = Purchase("purchase", Now, 80);
    }

    /// <summary>A realistic catalogue: rule-language segments of every shape, and the structured conditions.</summary>
    private static SegmentDefinition Segment(int i)
    {
        SegmentCondition[] conditions = (i % 10) switch
        {
            0 => [new ExpressionCondition($"count(purchase, 30d) >= {1 + (i % 3)} and spend(EUR) > {100 + i} and consent.email == granted")],
            1 => [new ExpressionCondition($"days_since(last_purchase) > {30 + i}")],
            2 => [new ExpressionCondition($"count(page_view, 7d) >= {i % 5} and count(product_view, 24h) >= 1")],
            3 => [new ExpressionCondition($"\"camping\" in interests and loyalty_tier == \"gold\" and orders >= {i % 4}")],
            4 => [new OrderCountCondition(Comparison.GreaterOrEqual, i % 6)],
            5 => [new SpendCondition("EUR", Comparison.Greater, 50 * (i % 7))],
            6 => [new ConsentCondition(ContactChannel.Email, ConsentStatus.Granted), new OrderCountCondition(Comparison.Greater, 0)],
            7 => [new ExpressionCondition($"orders >= {i % 5} and not (consent.sms == denied)")],
            8 => [new ExpressionCondition(i % 20 == 8
                ? $"hours_since(cart_change) >= {1 + (i % 5)} and cart_value(EUR) > 0"
                : $"categories_bought(90d) contains \"category-{i % 7}\" or \"category-{i % 7}\" in categories_viewed(30d)")],
            _ => [new ExpressionCondition($"spend(EUR) >= {i * 10} or orders > {i % 9}")],
        };
        return new SegmentDefinition($"segment-{i}", $"Segment {i}", conditions, 1);
    }

    private static TrackedEvent Purchase(string id, DateTimeOffset at, decimal total) =>
        new(id, EventType.Purchase, at, Channel.Store, [Email],
            new PurchasePayload("order-" + id, new Money("EUR", total), [new LineItem("SKU-1", "shoes", 1, new Money("EUR", total))], "store-7"));

    [Benchmark(Description = "100 segments, full evaluation")]
    public int FullEvaluation() => SegmentEvaluator.MatchingSegments(_segments, _profile, Now).Count;

    [Benchmark(Description = "100 segments, selective, after a page view, time moved")]
    public int SelectiveAfterPageView() => _index.Matching(_profile, _held, SegmentIndex.ChangedBy(_pageView), timeMoved: true, Now).Count;

    [Benchmark(Description = "100 segments, selective, after a page view, time settled")]
    public int SelectiveAfterPageViewTimeSettled() => _index.Matching(_profile, _held, SegmentIndex.ChangedBy(_pageView), timeMoved: false, Now).Count;

    [Benchmark(Description = "100 segments, selective, after a purchase, time moved")]
    public int SelectiveAfterPurchase() => _index.Matching(_profile, _held, SegmentIndex.ChangedBy(_purchase), timeMoved: true, Now).Count;

    [Benchmark(Description = "until when time changes no membership (first candidate instant)")]
    public DateTimeOffset TimeSettledUntil() => _index.TimeSettledUntil(_profile, Now);

    [Benchmark(Description = "next time-driven transition (40 time-dependent segments)")]
    public DateTimeOffset? NextTransition() => SegmentTiming.NextTransition(_segments, _profile, Now);

    [Benchmark(Description = "apply one page view (counters, dedupe)")]
    public TrackOutcome ApplyPageView() =>
        _profile.Apply(new TrackedEvent("bench-" + _next++, EventType.PageView, Now, Channel.Web, [Email], new PageViewPayload("/home")), Now);
}
