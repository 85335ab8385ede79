namespace ProfileGrains.Domain;

/// <summary>
/// When the customer comes: days with activity of their own (a visit, a view, a purchase, a click...) by month and by
/// day of the week (UTC), for seasonality rules such as "mostly a December shopper". A day counts once however many
/// events it holds; the last <see cref="RecentDays"/> distinct days counted are remembered, so events a little out of
/// order do not count a day twice. A merge adds both records' days: a day both had counts twice.
/// </summary>
[GenerateSerializer, Alias("pg.VisitCalendar")]
public sealed class VisitCalendar
{
    private const int RecentDays = 4;
    private const int DayBits = 16;

    // Twelve months (January first), then seven weekdays (Sunday first).
    [Id(0)] private int[] _counts = new int[19];

    // The last four days counted, 16 bits each (days since 2000-01-01, enough until 2179; 0: none).
    [Id(1)] private long _recent;

    private static readonly long FirstDay = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks / TimeSpan.TicksPerDay;

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
        var day = (occurredAt.UtcTicks / TimeSpan.TicksPerDay) - FirstDay + 1;
        for (var i = 0; i < RecentDays; i++)
        {
            if (((_recent >> (i * DayBits)) & 0xFFFF) == day)
            {
                return;
            }
        }

        _recent = (_recent << DayBits) | (day & 0xFFFF);
        var utc = occurredAt.UtcDateTime;
        _counts[utc.Month - 1]++;
        _counts[12 + (int)utc.DayOfWeek]++;
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
}
