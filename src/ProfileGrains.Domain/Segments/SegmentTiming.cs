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

    /// <summary>Inputs whose value moves with the clock: windows, time since, age, signals over a recent period.</summary>
    public static bool IsTimeDependentInput(string input) =>
        input.StartsWith("counters:", StringComparison.Ordinal)
        || input is "last_purchase" or "first_purchase" or "birth_date" or "life_event_dates" or "cart" or "bought" or "viewed" or "campaigns" or "anomalies";

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

    /// <summary>Every instant in (now, now + horizon] at which a windowed count or a days-since value can change, in order.</summary>
    private static IEnumerable<DateTimeOffset> Candidates(CustomerProfile profile, DateTimeOffset now)
    {
        var from = now.UtcTicks;
        var until = (now + Horizon).UtcTicks;
        var instants = new SortedSet<long>();

        // The earliest candidates are kept: a later one is looked at again when the customer is next checked.
        void Add(long ticks)
        {
            if (ticks <= from || ticks > until || (instants.Count >= MaxCandidates && ticks >= instants.Max))
            {
                return;
            }

            if (instants.Add(ticks) && instants.Count > MaxCandidates)
            {
                instants.Remove(instants.Max);
            }
        }

        // Each whole day after an anchor, up to the horizon: where a count of days since it moves.
        void EveryDayAfter(long anchor)
        {
            var elapsed = Math.Max(0, (from - anchor) / TimeSpan.TicksPerDay);
            for (var day = elapsed + 1; day <= elapsed + (long)Horizon.TotalDays + 1; day++)
            {
                Add(anchor + (day * TimeSpan.TicksPerDay));
            }
        }

        foreach (var counter in profile.Counters.ByType.Values)
        {
            foreach (var leaves in counter.WindowExits())
            {
                Add(leaves);
            }
        }

        foreach (var date in new[] { profile.Transactions.LastPurchaseAt, profile.Transactions.FirstPurchaseAt })
        {
            if (date is { } anchor)
            {
                // days_since counts whole days: it grows by one at every multiple of 24 h after the purchase.
                EveryDayAfter(anchor.UtcTicks);
            }
        }

        if (profile.Cart?.LastChangedAt is { } cartChange)
        {
            // hours_since(cart_change) grows by one every hour: hourly for a month, then daily.
            for (var hour = 1; hour <= HourlyCandidates; hour++)
            {
                Add(cartChange.UtcTicks + (hour * TimeSpan.TicksPerHour));
            }

            for (var day = (HourlyCandidates / 24) + 1; day <= (int)Horizon.TotalDays; day++)
            {
                Add(cartChange.UtcTicks + (day * TimeSpan.TicksPerDay));
            }
        }

        foreach (var ticks in profile.Products?.WindowExits(RecentWindows) ?? [])
        {
            Add(ticks + 1);
        }

        foreach (var click in profile.Campaigns?.ClickTimes ?? [])
        {
            foreach (var window in RecentWindows)
            {
                Add(click + window.Ticks + 1);
            }
        }

        foreach (var seen in (profile.PaymentInstruments?.Times ?? []).Concat(profile.NewDevices?.Times ?? []).Concat(profile.NewAddresses?.Times ?? []))
        {
            Add(seen + Anomalies.InstrumentAndDeviceWindow.Ticks);
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
                Add(new DateTimeOffset(year, birth.Month, day, 0, 0, 0, TimeSpan.Zero).UtcTicks);
            }
        }

        return instants.Select(t => new DateTimeOffset(t, TimeSpan.Zero));
    }
}
