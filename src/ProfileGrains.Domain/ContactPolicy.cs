namespace ProfileGrains.Domain;

/// <summary>How often one customer may be contacted on a channel: at most <see cref="MaxMessages"/> per window.</summary>
public sealed class ContactCap
{
    public int MaxMessages { get; set; }

    /// <summary>One of the rolling windows the counters keep: 1h, 24h, 7d, 30d, 90d or 365d.</summary>
    public CounterWindow Window { get; set; } = CounterWindow.SevenDays;
}

/// <summary>Section "ProfileGrains:ContactPolicy": frequency caps per channel, so nobody is over-solicited.</summary>
public sealed class ContactPolicyOptions
{
    public const string SectionName = "ContactPolicy";

    public Dictionary<ContactChannel, ContactCap> Caps { get; set; } = new()
    {
        [ContactChannel.Email] = new ContactCap { MaxMessages = 3, Window = CounterWindow.SevenDays },
        [ContactChannel.Sms] = new ContactCap { MaxMessages = 2, Window = CounterWindow.SevenDays },
        [ContactChannel.Phone] = new ContactCap { MaxMessages = 2, Window = CounterWindow.ThirtyDays },
        [ContactChannel.Post] = new ContactCap { MaxMessages = 4, Window = CounterWindow.ThirtyDays },
        [ContactChannel.Push] = new ContactCap { MaxMessages = 5, Window = CounterWindow.SevenDays },
    };

    public void Validate()
    {
        foreach (var (channel, cap) in Caps)
        {
            if (!Enum.IsDefined(channel) || cap.MaxMessages < 0 || cap.Window is CounterWindow.Lifetime || !Enum.IsDefined(cap.Window))
            {
                throw new InvalidOperationException(
                    $"ProfileGrains:ContactPolicy:Caps:{channel}: MaxMessages must be 0 or more and Window one of OneHour, OneDay, SevenDays, ThirtyDays, NinetyDays, OneYear.");
            }
        }
    }
}

public enum ContactVerdict
{
    Allowed = 1,

    /// <summary>The customer said no on this channel, or never said yes where the law requires a yes (opt-in).</summary>
    NoConsent = 2,

    /// <summary>Enough messages were sent on this channel within the cap's window.</summary>
    FrequencyCapped = 3,
}

[GenerateSerializer, Immutable, Alias("pg.ContactDecision")]
public sealed record ContactDecision(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ContactVerdict Verdict,
    [property: Id(2)] string Reason,
    [property: Id(3)] ConsentStatus Consent,
    [property: Id(4)] long SentInWindow,
    [property: Id(5)] int MaxMessages,
    [property: Id(6)] CounterWindow Window,
    [property: Id(7)] DateTimeOffset? NextAllowedAt)
{
    public bool Allowed => Verdict == ContactVerdict.Allowed;
}

/// <summary>
/// Whether a customer may be contacted on a channel now. Consent first: in the EU, B2C e-mail, SMS, automated calls and
/// push need a prior opt-in (no answer means no), while post works on opt-out (no answer means yes). Then the frequency
/// cap over the messages already sent (message_sent events) in a rolling window.
/// </summary>
public static class ContactPolicy
{
    public static bool NeedsOptIn(ContactChannel channel) => channel != ContactChannel.Post;

    public static ContactDecision Decide(CustomerProfile profile, ContactChannel channel, DateTimeOffset now, ContactPolicyOptions options)
    {
        var cap = options.Caps.GetValueOrDefault(channel) ?? new ContactCap { MaxMessages = int.MaxValue, Window = CounterWindow.SevenDays };
        var consent = profile.ConsentFor(channel);
        var counter = profile.MessagesSent.GetValueOrDefault(channel);
        var sent = counter?.Count(cap.Window, now) ?? 0;
        if (consent == ConsentStatus.Denied)
        {
            return new ContactDecision(channel, ContactVerdict.NoConsent, $"the customer opted out of {Name(channel)}", consent, sent, cap.MaxMessages, cap.Window, null);
        }

        if (consent != ConsentStatus.Granted && NeedsOptIn(channel))
        {
            return new ContactDecision(channel, ContactVerdict.NoConsent, $"{Name(channel)} needs an opt-in and the customer never gave one", consent, sent, cap.MaxMessages, cap.Window, null);
        }

        if (sent >= cap.MaxMessages)
        {
            return new ContactDecision(channel, ContactVerdict.FrequencyCapped,
                $"{sent} {Name(channel)} message(s) already sent in the last {WindowName(cap.Window)} (cap {cap.MaxMessages})",
                consent, sent, cap.MaxMessages, cap.Window, NextAllowed(counter, cap, now));
        }

        return new ContactDecision(channel, ContactVerdict.Allowed, "allowed", consent, sent, cap.MaxMessages, cap.Window, null);
    }

    /// <summary>The first instant at which the count in the window falls under the cap, with nothing more sent.</summary>
    private static DateTimeOffset? NextAllowed(EventCounter? counter, ContactCap cap, DateTimeOffset now)
    {
        if (counter is null || cap.MaxMessages == 0)
        {
            return null;
        }

        foreach (var ticks in counter.WindowExits().Where(t => t > now.UtcTicks).Order())
        {
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            if (counter.Count(cap.Window, at) < cap.MaxMessages)
            {
                return at;
            }
        }

        return null;
    }

    private static string Name(ContactChannel channel) => channel.ToString().ToLowerInvariant();

    private static string WindowName(CounterWindow window) => window switch
    {
        CounterWindow.OneHour => "hour",
        CounterWindow.OneDay => "24 hours",
        CounterWindow.SevenDays => "7 days",
        CounterWindow.ThirtyDays => "30 days",
        CounterWindow.NinetyDays => "90 days",
        _ => "365 days",
    };
}
