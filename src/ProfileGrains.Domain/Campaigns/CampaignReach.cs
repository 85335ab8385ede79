namespace ProfileGrains.Domain;

/// <summary>How far one campaign went with one customer; each step is counted once per customer in the indicators.</summary>
[Flags]
public enum CampaignReach
{
    None = 0,
    Sent = 1,
    Delivered = 2,
    Bounced = 4,
    Opened = 8,
    Clicked = 16,
    Unsubscribed = 32,
    Converted = 64,
}
