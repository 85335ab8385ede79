namespace ProfileGrains.Domain;

/// <summary>
/// Whether a customer may be contacted on a channel now. Consent first, by the rule for the customer's audience and the
/// channel (<see cref="ContactPolicyOptions"/>): an opt-in channel needs a granted decision, an opt-out one only no
/// refusal; a refusal or withdrawal always wins. Then the frequency cap over the messages already sent (message_sent
/// events) in a rolling window. The decision names the rule and the consent record it rests on.
/// </summary>
public static class ContactPolicy
{
    public static bool NeedsOptIn(ContactChannel channel) => channel != ContactChannel.Post;

    public static Audience AudienceOf(CustomerProfile profile) =>
        profile.Traits.Company is { Name.Length: > 0 } ? Audience.Business : Audience.Consumer;

    public static ContactDecision Decide(CustomerProfile profile, ContactChannel channel, DateTimeOffset now, ContactPolicyOptions options, DoNotCallList? doNotCall = null)
    {
        var cap = options.Caps.GetValueOrDefault(channel) ?? new ContactCap { MaxMessages = int.MaxValue, Window = CounterWindow.SevenDays };
        var audience = AudienceOf(profile);
        var rule = options.RuleFor(audience, channel);
        var ruleName = $"{(audience == Audience.Business ? "business contact" : "consumer")}, {Name(channel)}: {(rule == ConsentRule.OptIn ? "opt-in" : "opt-out")}";
        var record = profile.ConsentRecordFor(channel, ConsentPurpose.Marketing);
        var consent = record?.Status ?? ConsentStatus.Unknown;
        var counter = profile.MessagesSent.GetValueOrDefault(channel);
        var sent = counter?.Count(cap.Window, now) ?? 0;
        ContactDecision Verdict(ContactVerdict verdict, string reason, DateTimeOffset? next = null) =>
            new(channel, verdict, reason, consent, sent, cap.MaxMessages, cap.Window, next, record, ruleName);

        if (record is { Refuses: true })
        {
            var how = consent == ConsentStatus.Withdrawn ? "withdrew their marketing consent for" : "opted out of";
            return Verdict(ContactVerdict.NoConsent, $"the customer {how} {Name(channel)}");
        }

        if (consent != ConsentStatus.Granted && rule == ConsentRule.OptIn)
        {
            var who = audience == Audience.Business ? "a business contact" : "a consumer";
            return Verdict(ContactVerdict.NoConsent, $"{Name(channel)} to {who} needs an opt-in and the customer never gave one");
        }

        // Opt-out phone marketing is allowed only to numbers not on the national do-not-call list, unless the customer consented.
        if (consent != ConsentStatus.Granted && channel == ContactChannel.Phone && doNotCall is { Count: > 0 }
            && profile.Identifiers.Any(i => i.Type == IdentifierType.Phone && doNotCall.Contains(i.Value)))
        {
            return Verdict(ContactVerdict.NoConsent, "the customer's phone number is on the national do-not-call list and they never consented to calls");
        }

        if (sent >= cap.MaxMessages)
        {
            return Verdict(
                ContactVerdict.FrequencyCapped,
                $"{sent} {Name(channel)} message(s) already sent in the last {WindowName(cap.Window)} (cap {cap.MaxMessages})",
                NextAllowed(counter, cap, now));
        }

        return Verdict(ContactVerdict.Allowed, record is null ? $"allowed: {Name(channel)} is opt-out here and the customer never objected" : "allowed");
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

    private static string Name(ContactChannel channel) => channel == ContactChannel.InStore ? "in-store contact" : channel.ToString().ToLowerInvariant();

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
