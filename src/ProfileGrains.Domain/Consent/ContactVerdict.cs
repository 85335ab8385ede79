namespace ProfileGrains.Domain;

public enum ContactVerdict
{
    Allowed = 1,

    /// <summary>The customer said no on this channel, or never said yes where the law requires a yes (opt-in).</summary>
    NoConsent = 2,

    /// <summary>Enough messages were sent on this channel within the cap's window.</summary>
    FrequencyCapped = 3,
}
