namespace ProfileGrains.Domain;

/// <summary>
/// Whether a customer may be contacted on a channel now. Consent first: in the EU, B2C e-mail, SMS, automated calls and
/// push need a prior opt-in (no answer means no), while post works on opt-out (no answer means yes). Then the frequency
/// cap over the messages already sent (message_sent events) in a rolling window.
/// </summary>
public static class ContactPolicy
{
    public static bool NeedsOptIn(ContactChannel channel) => channel != ContactChannel.Post;

    /// <summary>
    /// Whether the customer's consent allows using them for this channel and purpose: a decision in force says so;
    /// without one, only marketing by an opt-out channel (post) is allowed.
    /// </summary>
    public static bool Permits(CustomerProfile profile, ContactChannel channel, ConsentPurpose purpose) =>
        profile.ConsentRecordFor(channel, purpose) is { } record
            ? record.Allows
            : purpose == ConsentPurpose.Marketing && !NeedsOptIn(channel);

    public static ContactDecision Decide(CustomerProfile profile, ContactChannel channel, DateTimeOffset now, ContactPolicyOptions options)
    {
        var cap = options.Caps.GetValueOrDefault(channel) ?? new ContactCap { MaxMessages = int.MaxValue, Window = CounterWindow.SevenDays };
        var record = profile.ConsentRecordFor(channel, ConsentPurpose.Marketing);
        var consent = record?.Status ?? ConsentStatus.Unknown;
        var counter = profile.MessagesSent.GetValueOrDefault(channel);
        var sent = counter?.Count(cap.Window, now) ?? 0;
        if (record is { Refuses: true })
        {
            var how = consent == ConsentStatus.Withdrawn ? "withdrew their marketing consent for" : "opted out of";
            return new ContactDecision(channel, ContactVerdict.NoConsent, $"the customer {how} {Name(channel)}", consent, sent, cap.MaxMessages, cap.Window, null, record);
        }

        if (consent != ConsentStatus.Granted && NeedsOptIn(channel))
        {
            return new ContactDecision(channel, ContactVerdict.NoConsent, $"{Name(channel)} needs an opt-in and the customer never gave one", consent, sent, cap.MaxMessages, cap.Window, null, record);
        }

        if (sent >= cap.MaxMessages)
        {
            return new ContactDecision(channel, ContactVerdict.FrequencyCapped,
                $"{sent} {Name(channel)} message(s) already sent in the last {WindowName(cap.Window)} (cap {cap.MaxMessages})",
                consent, sent, cap.MaxMessages, cap.Window, NextAllowed(counter, cap, now), record);
        }

        return new ContactDecision(channel, ContactVerdict.Allowed, record is null ? "allowed: post needs no opt-in and the customer never opted out" : "allowed", consent, sent, cap.MaxMessages, cap.Window, null, record);
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
