namespace ProfileGrains.Domain;

/// <summary>
/// When the customer comes: days with activity of their own (a visit, a view, a purchase, a click...) by month and by
/// day of the week (UTC), for seasonality rules such as "mostly a December shopper". A day counts once however many
/// events it holds; days already counted are recognised among the last <see cref="RecentDays"/> distinct ones, so
/// events a little out of order do not count a day twice. A merge adds both records' days: a day both had counts twice.
/// </summary>
[GenerateSerializer, Alias("pg.VisitCalendar")]
public sealed class VisitCalendar
{
    private const int RecentDays = 8;

    // Twelve months (January first), then seven weekdays (Sunday first).
    [Id(0)] private int[] _counts = new int[19];
    [Id(1)] private int[] _recent = new int[RecentDays];
    [Id(2)] private int _next;

    public int Days
    {
        get
        {
            var days = 0;
            for (var month = 0; month < 12; month++)
            {
                days += _counts[month];
            }

            return days;
        }
    }

    /// <summary>A visit: the customer came to a store or to the site or app, whatever they did there.</summary>
    public static bool Counts(EventType type) => type is EventType.Purchase or EventType.ProductView or EventType.PageView or EventType.AddToCart
        or EventType.RemoveFromCart or EventType.StoreVisit or EventType.EmailClick or EventType.Return;

    public void Record(DateTimeOffset occurredAt)
    {
        var day = (int)(occurredAt.UtcTicks / TimeSpan.TicksPerDay) + 1;
        if (_recent.AsSpan().Contains(day))
        {
            return;
        }

        _recent[_next] = day;
        _next = (_next + 1) % RecentDays;
        Add(occurredAt.UtcDateTime, 1);
    }

    /// <summary>Percent (0-100) of visit days in <paramref name="month"/> (1-12); null before any visit.</summary>
    public decimal? MonthShare(int month) => Share(_counts[month - 1]);

    public decimal? WeekdayShare(DayOfWeek day) => Share(_counts[12 + (int)day]);

    public void Absorb(VisitCalendar other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    private decimal? Share(int count)
    {
        var total = Days;
        return total == 0 ? null : Math.Round(100m * count / total, 1);
    }

    private void Add(DateTime utc, int by)
    {
        _counts[utc.Month - 1] += by;
        _counts[12 + (int)utc.DayOfWeek] += by;
    }
}
