namespace ProfileGrains.Domain;

/// <summary>How often one customer may be contacted on a channel: at most <see cref="MaxMessages"/> per window.</summary>
public sealed class ContactCap
{
    public int MaxMessages { get; set; }

    /// <summary>One of the rolling windows the counters keep: 1h, 24h, 7d, 30d, 90d or 365d.</summary>
    public CounterWindow Window { get; set; } = CounterWindow.SevenDays;
}
