namespace ProfileGrains.Domain;

/// <summary>
/// The campaigns that reached one customer lately and how far each went, so an open or a click is counted once per
/// customer, and a purchase soon after a click is credited to the campaign clicked last (last-click attribution).
/// Bounded by <see cref="Capacity"/> campaigns: the one touched longest ago makes room.
/// </summary>
[GenerateSerializer, Alias("pg.CampaignHistory")]
public sealed class CampaignHistory
{
    public const int Capacity = 20;

    /// <summary>How long after a click a purchase counts as the campaign's conversion, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultConversionWindow = TimeSpan.FromDays(7);

    [Id(0)] private List<CampaignEngagement> _campaigns = [];

    public IReadOnlyList<CampaignEngagement> Campaigns => _campaigns;

    /// <summary>The step a campaign event is, or None for an event that is not about a campaign.</summary>
    public static CampaignReach StepOf(EventType type) => type switch
    {
        EventType.MessageSent => CampaignReach.Sent,
        EventType.MessageDelivered => CampaignReach.Delivered,
        EventType.MessageBounced => CampaignReach.Bounced,
        EventType.EmailOpen => CampaignReach.Opened,
        EventType.EmailClick => CampaignReach.Clicked,
        EventType.Unsubscribe => CampaignReach.Unsubscribed,
        _ => CampaignReach.None,
    };

    /// <summary>A campaign event of this customer; returns what it adds to the campaign's indicators.</summary>
    public CampaignTally Record(string campaign, CampaignReach step, long ticks)
    {
        var i = _campaigns.FindIndex(c => c.Campaign == campaign);
        var known = i >= 0 ? _campaigns[i] : new CampaignEngagement(SharedStrings.Share(campaign), CampaignReach.None, 0, 0);
        var firstTime = (known.Reach & step) == 0;
        var updated = known with
        {
            Reach = known.Reach | step,
            LastClickTicks = step == CampaignReach.Clicked ? Math.Max(known.LastClickTicks, ticks) : known.LastClickTicks,
            LastTouchTicks = Math.Max(known.LastTouchTicks, ticks),
        };
        Put(i, updated);
        const CampaignReach PerMessage = CampaignReach.Sent | CampaignReach.Delivered | CampaignReach.Bounced;
        return new CampaignTally(
            updated.Campaign,
            step & PerMessage,
            firstTime ? step : CampaignReach.None,
            null,
            []);
    }

    /// <summary>
    /// A purchase: the campaign clicked last within <paramref name="window"/> before it, not converted yet, converts,
    /// crediting the order total. Null when no campaign converts.
    /// </summary>
    public CampaignTally? Purchased(Money total, long ticks, TimeSpan window)
    {
        var best = -1;
        for (var i = 0; i < _campaigns.Count; i++)
        {
            var c = _campaigns[i];
            if (c.LastClickTicks != 0 && c.LastClickTicks <= ticks && ticks - c.LastClickTicks <= window.Ticks
                && (best < 0 || c.LastClickTicks > _campaigns[best].LastClickTicks))
            {
                best = i;
            }
        }

        if (best < 0 || (_campaigns[best].Reach & CampaignReach.Converted) != 0)
        {
            return null;
        }

        var converted = _campaigns[best] with { Reach = _campaigns[best].Reach | CampaignReach.Converted };
        _campaigns[best] = converted;
        return new CampaignTally(converted.Campaign, CampaignReach.None, CampaignReach.Converted, total, []);
    }

    /// <summary>The campaigns clicked less than <paramref name="window"/> before <paramref name="now"/> (any time: null).</summary>
    public IReadOnlyList<string> ClickedWithin(TimeSpan? window, DateTimeOffset now)
    {
        var from = window is { } w ? now.UtcTicks - w.Ticks : long.MinValue;
        return [.. _campaigns.Where(c => c.LastClickTicks != 0 && c.LastClickTicks > from).Select(c => c.Campaign)];
    }

    public IEnumerable<long> ClickTimes => _campaigns.Where(c => c.LastClickTicks != 0).Select(c => c.LastClickTicks);

    /// <summary>A merge: each campaign's steps united (counted once more in the indicators if both records reached it).</summary>
    public void Absorb(CampaignHistory other)
    {
        foreach (var theirs in other._campaigns)
        {
            var i = _campaigns.FindIndex(c => c.Campaign == theirs.Campaign);
            Put(i, i < 0 ? theirs : new CampaignEngagement(
                theirs.Campaign,
                _campaigns[i].Reach | theirs.Reach,
                Math.Max(_campaigns[i].LastClickTicks, theirs.LastClickTicks),
                Math.Max(_campaigns[i].LastTouchTicks, theirs.LastTouchTicks)));
        }
    }

    private void Put(int index, CampaignEngagement engagement)
    {
        if (index >= 0)
        {
            _campaigns[index] = engagement;
            return;
        }

        if (_campaigns.Count >= Capacity)
        {
            var oldest = 0;
            for (var i = 1; i < _campaigns.Count; i++)
            {
                if (_campaigns[i].LastTouchTicks < _campaigns[oldest].LastTouchTicks)
                {
                    oldest = i;
                }
            }

            _campaigns.RemoveAt(oldest);
        }

        _campaigns.Add(engagement);
    }
}
