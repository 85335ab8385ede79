namespace ProfileGrains.Domain;

/// <summary>
/// A campaign's figures, overall or among one segment's members: messages sent, delivered and bounced; customers who
/// opened, clicked, unsubscribed and bought after a click (each once); and the revenue of those purchases per currency.
/// </summary>
[GenerateSerializer, Alias("pg.CampaignCounts")]
public sealed class CampaignCounts
{
    [Id(0)] public long Sent { get; private set; }
    [Id(1)] public long Delivered { get; private set; }
    [Id(2)] public long Bounced { get; private set; }
    [Id(3)] public long Opened { get; private set; }
    [Id(4)] public long Clicked { get; private set; }
    [Id(5)] public long Unsubscribed { get; private set; }
    [Id(6)] public long Converted { get; private set; }
    [Id(7)] public Dictionary<string, decimal> Revenue { get; private set; } = new(StringComparer.Ordinal);

    public void Add(CampaignTally tally)
    {
        Sent += Has(tally.Messages, CampaignReach.Sent);
        Delivered += Has(tally.Messages, CampaignReach.Delivered);
        Bounced += Has(tally.Messages, CampaignReach.Bounced);
        Opened += Has(tally.Unique, CampaignReach.Opened);
        Clicked += Has(tally.Unique, CampaignReach.Clicked);
        Unsubscribed += Has(tally.Unique, CampaignReach.Unsubscribed);
        Converted += Has(tally.Unique, CampaignReach.Converted);
        if (tally.Revenue is { } revenue)
        {
            Revenue[revenue.CurrencyCode] = Revenue.GetValueOrDefault(revenue.CurrencyCode) + revenue.Amount;
        }
    }

    public void Add(CampaignCounts other)
    {
        Sent += other.Sent;
        Delivered += other.Delivered;
        Bounced += other.Bounced;
        Opened += other.Opened;
        Clicked += other.Clicked;
        Unsubscribed += other.Unsubscribed;
        Converted += other.Converted;
        foreach (var (currency, amount) in other.Revenue)
        {
            Revenue[currency] = Revenue.GetValueOrDefault(currency) + amount;
        }
    }

    /// <summary>Several campaigns' figures together, rates recomputed from the summed counts.</summary>
    public static CampaignFigures Total(IEnumerable<CampaignFigures> figures)
    {
        var total = new CampaignCounts();
        foreach (var f in figures)
        {
            total.Sent += f.Sent;
            total.Delivered += f.Delivered;
            total.Bounced += f.Bounced;
            total.Opened += f.Opened;
            total.Clicked += f.Clicked;
            total.Unsubscribed += f.Unsubscribed;
            total.Converted += f.Converted;
            foreach (var revenue in f.Revenue)
            {
                total.Revenue[revenue.CurrencyCode] = total.Revenue.GetValueOrDefault(revenue.CurrencyCode) + revenue.Amount;
            }
        }

        return total.Figures();
    }

    public CampaignFigures Figures()
    {
        // Rates are per message that reached the customer; without delivery reports, per message sent.
        var reached = Delivered > 0 ? Delivered : Sent;
        return new CampaignFigures(
            Sent,
            Delivered,
            Bounced,
            Opened,
            Clicked,
            Unsubscribed,
            Converted,
            [.. Revenue.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new Money(r.Key, r.Value))],
            Rate(Opened, reached),
            Rate(Clicked, reached),
            Rate(Unsubscribed, reached),
            Rate(Bounced, Sent),
            Rate(Converted, Clicked));
    }

    private static long Has(CampaignReach reach, CampaignReach step) => (reach & step) != 0 ? 1 : 0;

    /// <summary>A share in [0, 1], four decimals; null when there is nothing to divide by.</summary>
    private static decimal? Rate(long count, long of) => of <= 0 ? null : Math.Round(Math.Min(1m, (decimal)count / of), 4);
}
