using Microsoft.Extensions.Time.Testing;

namespace ProfileGrains.Domain.Tests;

/// <summary>
/// Windows are aligned to buckets, not sliding by the tick: "1h" = the current UTC minute bucket and the 59 before,
/// "24h" = the current hour and the 23 before, "7d"/"30d"/"90d"/"365d" = today (UTC) and the 6/29/89/364 days before.
/// </summary>
public class RollingCountersTests
{
    private static readonly CounterWindow[] AllWindows = Enum.GetValues<CounterWindow>();

    private static long[] Counts(EventCounter counter, DateTimeOffset now) => [.. AllWindows.Select(w => counter.Count(w, now))];

    /// <summary>Expected counts in window order: 1h, 24h, 7d, 30d, 90d, 365d, lifetime.</summary>
    private static void AssertCounts(EventCounter counter, DateTimeOffset now, params long[] expected) =>
        Assert.Equal(expected, Counts(counter, now));

    private static DateTimeOffset StartOfDay(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    [Fact]
    public void NewCounter_CountsNothing()
    {
        var counter = new EventCounter();
        AssertCounts(counter, TestData.Now, 0, 0, 0, 0, 0, 0, 0);
        Assert.Null(counter.LastOccurredAt);
        Assert.Equal(0, counter.BucketCount);
    }

    [Fact]
    public void EventNow_CountsInEveryWindow()
    {
        var counter = new EventCounter();
        counter.Record(TestData.Now, TestData.Now);
        AssertCounts(counter, TestData.Now, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(TestData.Now, counter.LastOccurredAt);
    }

    [Fact]
    public void Record_WithCount_AddsThatMany()
    {
        var counter = new EventCounter();
        counter.Record(TestData.Now, TestData.Now, count: 5);
        counter.Record(TestData.Now.AddSeconds(-10), TestData.Now, count: 2);
        AssertCounts(counter, TestData.Now, 7, 7, 7, 7, 7, 7, 7);
        Assert.Equal(3, counter.BucketCount); // one minute, one hour and one day bucket
    }

    [Fact]
    public void OneHour_IsTheCurrentMinuteAndThe59Before_SoTheSixtiethMinuteBackIsOutEvenIfUnder60MinutesAgo()
    {
        var now = TestData.Now; // 12:30:30
        var counter = new EventCounter();
        counter.Record(new DateTimeOffset(2024, 6, 15, 11, 31, 0, TimeSpan.Zero), now); // minute bucket 11:31: 59th back
        counter.Record(new DateTimeOffset(2024, 6, 15, 11, 30, 59, TimeSpan.Zero), now); // 59.5 min ago but bucket 11:30 is 60th back

        Assert.Equal(1, counter.Count(CounterWindow.OneHour, now));
        Assert.Equal(2, counter.Count(CounterWindow.OneDay, now));
    }

    [Fact]
    public void OneDay_IsTheCurrentHourAndThe23Before_SoTheSameHourYesterdayIsOut()
    {
        var now = TestData.Now; // 2024-06-15 12:30:30
        var counter = new EventCounter();
        counter.Record(new DateTimeOffset(2024, 6, 14, 13, 0, 0, TimeSpan.Zero), now); // hour bucket 13:00 yesterday: 23rd back
        counter.Record(new DateTimeOffset(2024, 6, 14, 12, 59, 59, TimeSpan.Zero), now); // 23.5 h ago, but hour 12:00 yesterday is 24th back

        Assert.Equal(0, counter.Count(CounterWindow.OneHour, now));
        Assert.Equal(1, counter.Count(CounterWindow.OneDay, now));
        Assert.Equal(2, counter.Count(CounterWindow.SevenDays, now));
    }

    [Theory]
    [InlineData(CounterWindow.SevenDays, 7)]
    [InlineData(CounterWindow.ThirtyDays, 30)]
    [InlineData(CounterWindow.NinetyDays, 90)]
    [InlineData(CounterWindow.OneYear, 365)]
    public void DayWindows_AreTodayUtcAndTheDaysBefore_SoTheFirstInstantOfTheOldestDayCountsAndTheLastOfTheDayBeforeDoesNot(CounterWindow window, int days)
    {
        var now = TestData.Now;
        var oldestDay = StartOfDay(now).AddDays(-(days - 1));
        var counter = new EventCounter();
        counter.Record(oldestDay, now);
        counter.Record(oldestDay.AddTicks(-1), now);

        Assert.Equal(1, counter.Count(window, now));
        Assert.Equal(2, counter.Lifetime);
    }

    [Fact]
    public void ClockMovingForward_ExpiresAnEventFromEachWindowInTurn_AtItsBucketBoundary()
    {
        var occurred = new DateTimeOffset(2024, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(occurred);
        var counter = new EventCounter();
        counter.Record(occurred, clock.GetUtcNow());

        AssertCounts(counter, clock.GetUtcNow(), 1, 1, 1, 1, 1, 1, 1);

        clock.SetUtcNow(occurred.AddMinutes(59).AddSeconds(59)); // 12:59:59 still within the hour buckets
        AssertCounts(counter, clock.GetUtcNow(), 1, 1, 1, 1, 1, 1, 1);

        clock.SetUtcNow(occurred.AddHours(1)); // 13:00: minute 12:00 is now 60 buckets back
        AssertCounts(counter, clock.GetUtcNow(), 0, 1, 1, 1, 1, 1, 1);

        clock.SetUtcNow(occurred.AddHours(24).AddTicks(-1)); // 2024-06-16 11:59:59.9999999
        AssertCounts(counter, clock.GetUtcNow(), 0, 1, 1, 1, 1, 1, 1);

        clock.SetUtcNow(occurred.AddHours(24)); // 2024-06-16 12:00
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 1, 1, 1, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2024, 6, 21, 23, 59, 59, TimeSpan.Zero)); // 7th day including the 15th
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 1, 1, 1, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2024, 6, 22, 0, 0, 0, TimeSpan.Zero));
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 1, 1, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2024, 7, 14, 23, 59, 59, TimeSpan.Zero)); // 30th day
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 1, 1, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2024, 7, 15, 0, 0, 0, TimeSpan.Zero));
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 0, 1, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2024, 9, 12, 23, 59, 59, TimeSpan.Zero)); // 90th day
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 0, 1, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2024, 9, 13, 0, 0, 0, TimeSpan.Zero));
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 0, 0, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2025, 6, 14, 23, 59, 59, TimeSpan.Zero)); // 365th day
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 0, 0, 1, 1);

        clock.SetUtcNow(new DateTimeOffset(2025, 6, 15, 0, 0, 0, TimeSpan.Zero));
        AssertCounts(counter, clock.GetUtcNow(), 0, 0, 0, 0, 0, 0, 1);

        Assert.Equal(occurred, counter.LastOccurredAt);
    }

    [Fact]
    public void DayWindows_AreUtcDays_EvenForEventsWithAnOffset()
    {
        // 2024-06-15 01:00 +02:00 is 2024-06-14 23:00 UTC: that is "yesterday" for a clock at 2024-06-21 12:00 UTC -> 8th day back.
        var counter = new EventCounter();
        var now = new DateTimeOffset(2024, 6, 21, 12, 0, 0, TimeSpan.Zero);
        counter.Record(new DateTimeOffset(2024, 6, 15, 1, 0, 0, TimeSpan.FromHours(2)), now);

        Assert.Equal(0, counter.Count(CounterWindow.SevenDays, now));
        Assert.Equal(1, counter.Count(CounterWindow.ThirtyDays, now));
        Assert.Equal(1, counter.Count(CounterWindow.SevenDays, now.AddDays(-1)));
    }

    [Fact]
    public void OutOfOrderEvents_LandInTheWindowOfWhenTheyHappened()
    {
        var now = TestData.Now;
        var counter = new EventCounter();
        counter.Record(now.AddMinutes(-10), now);
        counter.Record(now.AddDays(-3), now); // arrives late
        counter.Record(now.AddHours(-2), now); // arrives later still, but is more recent than the previous one
        counter.Record(now.AddDays(-40), now);
        counter.Record(now.AddDays(-400), now); // older than a year: lifetime only
        counter.Record(now.AddDays(-200), now);
        counter.Record(now.AddMinutes(-10).AddSeconds(5), now); // same minute bucket as the first

        AssertCounts(counter, now, 2, 3, 4, 4, 5, 6, 7);
        Assert.Equal(now.AddMinutes(-10).AddSeconds(5), counter.LastOccurredAt);
    }

    [Fact]
    public void LastOccurredAt_IsTheLatestOccurrence_NotTheLastArrival()
    {
        var counter = new EventCounter();
        counter.Record(TestData.Now.AddMinutes(-1), TestData.Now);
        counter.Record(TestData.Now.AddDays(-5), TestData.Now);
        Assert.Equal(TestData.Now.AddMinutes(-1), counter.LastOccurredAt);
    }

    [Fact]
    public void OutOfOrderEvents_KeepEveryTierSortedByBucket()
    {
        var now = TestData.Now;
        var counter = new EventCounter();
        foreach (var minutesAgo in new[] { 5, 50, 1, 30, 59, 0, 12, 30 })
        {
            counter.Record(now.AddMinutes(-minutesAgo), now);
        }

        foreach (var daysAgo in new[] { 3, 300, 1, 100, 364, 7 })
        {
            counter.Record(now.AddDays(-daysAgo), now);
        }

        Assert.All(new[] { counter.Minutes, counter.Hours, counter.Days }, tier =>
        {
            var indices = tier.Select(b => b.Index).ToList();
            Assert.Equal(indices.Order(), indices);
            Assert.Equal(indices.Count, indices.Distinct().Count());
        });
        Assert.Equal(7, counter.Minutes.Length); // 30 twice shares a bucket
        AssertCounts(counter, now, 8, 8, 10, 11, 11, 14, 14); // 7 days back is outside "7d" (today + 6 before)
    }

    [Fact]
    public void EventsOlderThan365Days_CountOnlyInLifetime_AndKeepNoBucket()
    {
        var now = TestData.Now;
        var counter = new EventCounter();
        counter.Record(StartOfDay(now).AddDays(-364).AddTicks(-1), now);
        counter.Record(now.AddYears(-3), now);

        AssertCounts(counter, now, 0, 0, 0, 0, 0, 0, 2);
        Assert.Equal(0, counter.BucketCount);
        Assert.Equal(now.AddDays(-365).Date, counter.LastOccurredAt!.Value.Date);
    }

    [Fact]
    public void EventsAFewMinutesInTheFuture_WithinClockSkew_CountNow()
    {
        var counter = new EventCounter();
        counter.Record(TestData.Now.AddMinutes(3), TestData.Now);
        AssertCounts(counter, TestData.Now, 1, 1, 1, 1, 1, 1, 1);
    }

    [Fact]
    public void Memory_IsBoundedByBuckets_When100kEventsSpreadOverTwoYearsArriveWithTheClockMoving()
    {
        var random = new Random(20240615);
        var start = TestData.Now.AddDays(-730);
        var clock = new FakeTimeProvider(start);
        var counter = new EventCounter();
        var occurrences = new List<DateTimeOffset>(100_000);
        var maxBuckets = 0;

        for (var i = 0; i < 100_000; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(random.Next(0, 1261))); // ~10.5 minutes on average: two years in all
            var now = clock.GetUtcNow();
            // Mostly fresh events, some late by minutes, hours, days or more than a year.
            var lateness = (i % 5) switch
            {
                0 => TimeSpan.Zero,
                1 => TimeSpan.FromSeconds(random.Next(0, 3600)),
                2 => TimeSpan.FromMinutes(random.Next(0, 48 * 60)),
                3 => TimeSpan.FromHours(random.Next(0, 24 * 400)),
                _ => TimeSpan.FromSeconds(random.Next(0, 120)),
            };
            var occurred = now - lateness;
            occurrences.Add(occurred);
            counter.Record(occurred, now);

            Assert.True(counter.Minutes.Length <= 60, $"minutes: {counter.Minutes.Length}");
            Assert.True(counter.Hours.Length <= 24, $"hours: {counter.Hours.Length}");
            Assert.True(counter.Days.Length <= 365, $"days: {counter.Days.Length}");
            maxBuckets = Math.Max(maxBuckets, counter.BucketCount);
        }

        Assert.True(maxBuckets <= 60 + 24 + 365);
        Assert.True(counter.Days.Length > 300, "the day tier was actually exercised");

        // And the counts still match a brute-force count over every event, with the documented bucket alignment.
        var end = clock.GetUtcNow();
        var minute = new DateTimeOffset(end.UtcTicks - (end.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var hour = new DateTimeOffset(end.UtcTicks - (end.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var today = StartOfDay(end);
        long Since(DateTimeOffset from) => occurrences.Count(o => o >= from);

        AssertCounts(
            counter,
            end,
            Since(minute.AddMinutes(-59)),
            Since(hour.AddHours(-23)),
            Since(today.AddDays(-6)),
            Since(today.AddDays(-29)),
            Since(today.AddDays(-89)),
            Since(today.AddDays(-364)),
            100_000);
    }

    [Fact]
    public void Memory_SaturatedTiers_HoldExactly60MinutesAnd24HoursAnd365Days()
    {
        var now = TestData.Now;
        var counter = new EventCounter();
        for (var m = 0; m < 3 * 60; m++)
        {
            counter.Record(now.AddMinutes(-m), now);
        }

        for (var h = 0; h < 3 * 24; h++)
        {
            counter.Record(now.AddHours(-h), now);
        }

        for (var d = 0; d < 2 * 365; d++)
        {
            counter.Record(now.AddDays(-d), now);
        }

        Assert.Equal(60, counter.Minutes.Length);
        Assert.Equal(24, counter.Hours.Length);
        Assert.Equal(365, counter.Days.Length);
        Assert.Equal(60 + 24 + 365, counter.BucketCount);
        Assert.Equal(180 + 72 + 730, counter.Lifetime);
    }

    [Fact]
    public void Memory_EventsUpToMaxClockSkewAhead_AddAtMostOneBucketPerTierStepOfSkew()
    {
        // Just before midnight, an event 5 minutes ahead opens a new minute, hour and UTC day.
        var now = new DateTimeOffset(2024, 6, 15, 23, 57, 0, TimeSpan.Zero);
        var counter = new EventCounter();
        for (var d = 0; d < 400; d++)
        {
            counter.Record(now.AddDays(-d), now);
        }

        for (var m = 0; m < 24 * 60; m++)
        {
            counter.Record(now.AddMinutes(-m), now);
        }

        for (var s = 0; s <= (int)Limits.MaxClockSkew.TotalSeconds; s += 30)
        {
            counter.Record(now.AddSeconds(s), now);
        }

        Assert.True(counter.Minutes.Length <= 60 + (int)Limits.MaxClockSkew.TotalMinutes, $"minutes: {counter.Minutes.Length}");
        Assert.True(counter.Hours.Length <= 24 + 1, $"hours: {counter.Hours.Length}");
        Assert.True(counter.Days.Length <= 365 + 1, $"days: {counter.Days.Length}");
        // Early events count now: 60 minutes back (plus the day loop's event at now) and the 11 ahead.
        Assert.Equal(60 + 1 + 11, counter.Count(CounterWindow.OneHour, now));
    }

    [Fact]
    public void Memory_StaleBucketsAreDroppedOnceTheClockHasMovedOn()
    {
        var counter = new EventCounter();
        for (var m = 0; m < 60; m++)
        {
            counter.Record(TestData.Now.AddMinutes(-m), TestData.Now);
        }

        var later = TestData.Now.AddDays(400);
        counter.Record(later, later);

        Assert.Equal(3, counter.BucketCount);
        AssertCounts(counter, later, 1, 1, 1, 1, 1, 1, 61);
    }

    [Fact]
    public void Absorb_AddsTheOtherCountersCountsInEveryWindow()
    {
        var now = TestData.Now;
        var mine = new EventCounter();
        mine.Record(now.AddMinutes(-5), now);
        mine.Record(now.AddDays(-10), now);

        var theirs = new EventCounter();
        theirs.Record(now.AddMinutes(-5), now); // same bucket as one of mine
        theirs.Record(now.AddHours(-3), now);
        theirs.Record(now.AddDays(-60), now);
        theirs.Record(now.AddDays(-500), now);

        mine.Absorb(theirs, now);

        AssertCounts(mine, now, 2, 3, 3, 4, 5, 5, 6);
        Assert.Equal(now.AddMinutes(-5), mine.LastOccurredAt);
        AssertCounts(theirs, now, 1, 2, 2, 2, 3, 3, 4); // the absorbed counter is left alone
    }

    [Fact]
    public void Absorb_IntoEmptyCounter_TakesLastOccurredAt_AndKeepsTiersSorted()
    {
        var now = TestData.Now;
        var theirs = new EventCounter();
        theirs.Record(now.AddDays(-2), now);
        theirs.Record(now.AddMinutes(-1), now);

        var mine = new EventCounter();
        mine.Record(now.AddDays(-1), now);
        var empty = new EventCounter();
        empty.Absorb(theirs, now);
        mine.Absorb(theirs, now);

        Assert.Equal(now.AddMinutes(-1), empty.LastOccurredAt);
        Assert.Equal(now.AddMinutes(-1), mine.LastOccurredAt); // the absorbed counter's later occurrence wins
        AssertCounts(empty, now, 1, 1, 2, 2, 2, 2, 2);
        Assert.Equal(mine.Days.Select(b => b.Index).Order(), mine.Days.Select(b => b.Index));
        // 24 h ago to the minute is hour bucket 12:00 yesterday: outside "24h" (current hour + 23 before).
        AssertCounts(mine, now, 1, 1, 3, 3, 3, 3, 3);
    }

    [Fact]
    public void Absorb_WithTheClockMovedOn_DropsExpiredBucketsButKeepsLifetime()
    {
        var then = TestData.Now;
        var theirs = new EventCounter();
        theirs.Record(then, then);

        var later = then.AddDays(2);
        var mine = new EventCounter();
        mine.Absorb(theirs, later);

        AssertCounts(mine, later, 0, 0, 1, 1, 1, 1, 1);
        Assert.Empty(mine.Minutes);
        Assert.Empty(mine.Hours);
    }

    [Fact]
    public void Absorb_EmptyCounter_KeepsLastOccurredAt()
    {
        var mine = new EventCounter();
        mine.Record(TestData.Now, TestData.Now);
        mine.Absorb(new EventCounter(), TestData.Now);
        Assert.Equal(TestData.Now, mine.LastOccurredAt);
        Assert.Equal(1, mine.Lifetime);
    }

    [Fact]
    public void Count_UnknownWindow_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventCounter().Count((CounterWindow)0, TestData.Now));

    [Fact]
    public void BehaviourCounters_CountEachEventTypeSeparately()
    {
        var now = TestData.Now;
        var counters = new BehaviourCounters();
        counters.Record(EventType.PageView, now.AddMinutes(-1), now);
        counters.Record(EventType.PageView, now.AddDays(-2), now);
        counters.Record(EventType.Purchase, now.AddHours(-5), now);

        Assert.Equal(1, counters.Count(EventType.PageView, CounterWindow.OneDay, now));
        Assert.Equal(2, counters.Count(EventType.PageView, CounterWindow.SevenDays, now));
        Assert.Equal(1, counters.Count(EventType.Purchase, CounterWindow.OneDay, now));
        Assert.Equal(0, counters.Count(EventType.Purchase, CounterWindow.OneHour, now));
        Assert.Equal(0, counters.Count(EventType.Review, CounterWindow.Lifetime, now));
        Assert.Equal(2, counters.ByType.Count);
    }
}
