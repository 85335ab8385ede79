namespace ProfileGrains.Domain;

/// <summary>
/// When segment membership changes with no new event: "no purchase for 90 days", "a cart added, no purchase within a
/// day", counts leaving their window. Membership at a future instant is a pure function of the profile and that
/// instant, and it can only change at a few instants: when a counter bucket leaves a window (windows are aligned to
/// minutes, hours or days) or when a day passes since a purchase. So the next transition is found by evaluating the
/// time-dependent segments at those instants only, in order, without any timer per customer.
/// </summary>
public static class SegmentTiming
{
    /// <summary>No transition is looked for further ahead than this; the customer is checked again then.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(400);

    private const int MaxCandidates = 4096;
    private const int HourlyCandidates = 31 * 24;

    /// <summary>The durations of the rolling windows rules name (1h to 365d), for values that leave them exactly.</summary>
    public static readonly IReadOnlyList<TimeSpan> RecentWindows =
        [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(90), TimeSpan.FromDays(365)];

    /// <summary>Whether the segment's result can change while the profile does not.</summary>
    public static bool IsTimeDependent(SegmentDefinition definition)
    {
        foreach (var condition in definition.Conditions)
        {
            switch (condition)
            {
                case EventCountCondition { Window: not CounterWindow.Lifetime }:
                case DaysSinceLastPurchaseCondition:
                    return true;
                case ExpressionCondition expression when expression.Inputs.Any(IsTimeDependentInput):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Inputs whose value moves with the clock: windows, time since, age, signals over a recent period, and the scores
    /// (recency, churn risk and engagement move with the days since a purchase and with counts leaving their windows).
    /// </summary>
    public static bool IsTimeDependentInput(string input) =>
        input.StartsWith("counters:", StringComparison.Ordinal)
        || input is "last_purchase" or "first_purchase" or "birth_date" or "life_event_dates" or "cart" or "bought" or "viewed" or "campaigns" or "anomalies" or "scores";

    /// <summary>
    /// The first instant after <paramref name="now"/> at which some of <paramref name="segments"/> changes its result
    /// for this profile; the horizon when none changes before it (check again then); null when none can ever change.
    /// </summary>
    public static DateTimeOffset? NextTransition(IReadOnlyList<SegmentDefinition> segments, CustomerProfile profile, DateTimeOffset now)
    {
        var timeDependent = segments.Where(IsTimeDependent).ToList();
        if (timeDependent.Count == 0 || !profile.Exists)
        {
            return null;
        }

        using var scores = Rules.ScoresPerEvaluation.Begin();
        var current = Memberships(timeDependent, profile, now);
        foreach (var candidate in Candidates(profile, now))
        {
            if (!Memberships(timeDependent, profile, candidate).SequenceEqual(current))
            {
                return candidate;
            }
        }

        return now + Horizon;
    }

    private static bool[] Memberships(List<SegmentDefinition> segments, CustomerProfile profile, DateTimeOffset at)
    {
        var result = new bool[segments.Count];
        for (var i = 0; i < segments.Count; i++)
        {
            result[i] = segments[i].Matches(profile, at);
        }

        return result;
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which a time-dependent segment could change for this profile
    /// (whatever the segments), or the horizon: until then, time alone changes no membership. Cheap (no rule runs, no
    /// list of instants is built), so it is recomputed after every change.
    /// </summary>
    public static DateTimeOffset FirstCandidateAfter(CustomerProfile profile, DateTimeOffset now)
    {
        var first = new FirstInstant(now.UtcTicks, (now + Horizon).UtcTicks);
        VisitCandidates(profile, now, first);
        return new DateTimeOffset(first.Earliest, TimeSpan.Zero);
    }

    /// <summary>Every instant in (now, now + horizon] at which a windowed count or a days-since value can change, in order.</summary>
    internal static IEnumerable<DateTimeOffset> Candidates(CustomerProfile profile, DateTimeOffset now)
    {
        var instants = new EarliestInstants(now.UtcTicks, (now + Horizon).UtcTicks);
        VisitCandidates(profile, now, instants);
        return instants.Select(t => new DateTimeOffset(t, TimeSpan.Zero));
    }

    /// <summary>The one list of what moves with the clock: every source of candidate instants, told to <paramref name="sink"/>.</summary>
    private static void VisitCandidates(CustomerProfile profile, DateTimeOffset now, ICandidateSink sink)
    {
        var horizonDays = (long)Horizon.TotalDays;

        // Each whole day after an anchor, up to the horizon: where a count of days since it moves.
        void EveryDayAfter(long anchor)
        {
            var elapsed = Math.Max(0, (now.UtcTicks - anchor) / TimeSpan.TicksPerDay);
            sink.Every(anchor, TimeSpan.TicksPerDay, elapsed + 1, elapsed + horizonDays + 1);
        }

        foreach (var (_, counter) in profile.Counters.ByType)
        {
            sink.WindowExits(counter);
        }

        // days_since counts whole days: it grows by one at every multiple of 24 h after the purchase.
        if (profile.Transactions.LastPurchaseAt is { } last)
        {
            EveryDayAfter(last.UtcTicks);
        }

        if (profile.Transactions.FirstPurchaseAt is { } first)
        {
            EveryDayAfter(first.UtcTicks);
        }

        if (profile.Cart?.LastChangedAt is { } cartChange)
        {
            // hours_since(cart_change) grows by one every hour: hourly for a month, then daily.
            sink.Every(cartChange.UtcTicks, TimeSpan.TicksPerHour, 1, HourlyCandidates);
            sink.Every(cartChange.UtcTicks, TimeSpan.TicksPerDay, (HourlyCandidates / 24) + 1, horizonDays);
        }

        if (profile.Products is { } products)
        {
            sink.WindowExits(products);
        }

        foreach (var click in profile.Campaigns?.ClickTimes ?? [])
        {
            foreach (var window in RecentWindows)
            {
                sink.At(click + window.Ticks + 1);
            }
        }

        foreach (var recent in (ReadOnlySpan<RecentDistinct?>)[profile.PaymentInstruments, profile.NewDevices, profile.NewAddresses])
        {
            foreach (var seen in recent?.Times ?? [])
            {
                sink.At(seen + Anomalies.InstrumentAndDeviceWindow.Ticks);
            }
        }

        foreach (var day in profile.Traits.Preferences.DatedLifeEvents.Values)
        {
            // days_since_life_event grows by one at each UTC midnight after the day.
            EveryDayAfter(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).UtcTicks);
        }

        if (profile.Traits.BirthDate is { } birth)
        {
            for (var year = now.Year; year <= now.Year + 2; year++)
            {
                var day = Math.Min(birth.Day, DateTime.DaysInMonth(year, birth.Month));
                sink.At(new DateTimeOffset(year, birth.Month, day, 0, 0, 0, TimeSpan.Zero).UtcTicks);
            }
        }
    }

    /// <summary>Receives candidate instants (UTC ticks); only those in (from, until] count.</summary>
    private interface ICandidateSink
    {
        void At(long ticks);

        /// <summary>anchor + k × step for k in [firstStep, lastStep].</summary>
        void Every(long anchor, long step, long firstStep, long lastStep);

        /// <summary>Each instant a bucket of the counter leaves a window.</summary>
        void WindowExits(EventCounter counter);

        /// <summary>Just after each instant a product or category touch leaves one of the <see cref="RecentWindows"/>.</summary>
        void WindowExits(ProductActivity products);
    }

    /// <summary>The earliest <see cref="MaxCandidates"/> instants, in order: a later one is looked at again when the customer is next checked.</summary>
    private sealed class EarliestInstants(long from, long until) : SortedSet<long>, ICandidateSink
    {
        public void At(long ticks)
        {
            if (ticks <= from || ticks > until || (Count >= MaxCandidates && ticks >= Max))
            {
                return;
            }

            if (Add(ticks) && Count > MaxCandidates)
            {
                Remove(Max);
            }
        }

        public void Every(long anchor, long step, long firstStep, long lastStep)
        {
            for (var k = firstStep; k <= lastStep; k++)
            {
                At(anchor + (k * step));
            }
        }

        public void WindowExits(EventCounter counter)
        {
            foreach (var leaves in counter.WindowExits())
            {
                At(leaves);
            }
        }

        public void WindowExits(ProductActivity products)
        {
            foreach (var ticks in products.WindowExits(RecentWindows))
            {
                At(ticks + 1);
            }
        }
    }

    /// <summary>Only the earliest instant, each periodic source reduced to its first step after <c>from</c>.</summary>
    private sealed class FirstInstant(long from, long until) : ICandidateSink
    {
        public long Earliest { get; private set; } = until;

        public void At(long ticks)
        {
            if (ticks > from && ticks < Earliest)
            {
                Earliest = ticks;
            }
        }

        public void Every(long anchor, long step, long firstStep, long lastStep)
        {
            var k = Math.Max(firstStep, from >= anchor ? ((from - anchor) / step) + 1 : firstStep);
            if (k <= lastStep)
            {
                At(anchor + (k * step));
            }
        }

        public void WindowExits(EventCounter counter) => At(counter.FirstWindowExitAfter(from));

        // A touch counts in its window up to and including the instant it leaves it: the change is one tick later.
        public void WindowExits(ProductActivity products)
        {
            var leaves = products.FirstWindowExitAfter(RecentWindows, from - 1);
            if (leaves != long.MaxValue)
            {
                At(leaves + 1);
            }
        }
    }
}
