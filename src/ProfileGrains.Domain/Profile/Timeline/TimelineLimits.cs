namespace ProfileGrains.Domain;

/// <summary>
/// How much of a customer's history the timeline keeps: at most <see cref="MaxEntries"/> exchanges, none older than
/// <see cref="MaxAge"/>. Carried by each journaled event, so a replay keeps exactly what was kept.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.TimelineLimits")]
public readonly record struct TimelineLimits(
    [property: Id(0)] int MaxEntries,
    [property: Id(1)] TimeSpan MaxAge)
{
    /// <summary>500 exchanges over 13 months: a year of a loyal customer's visits, with the same month a year ago.</summary>
    public static TimelineLimits Default { get; } = new(500, TimeSpan.FromDays(395));

    /// <summary>Events journaled before the timeline existed carry no limits: they get the defaults.</summary>
    public TimelineLimits OrDefault() => MaxEntries == 0 && MaxAge == TimeSpan.Zero ? Default : this;
}
