namespace ProfileGrains.Domain;

[GenerateSerializer, Immutable, Alias("pg.ContactDecision")]
public sealed record ContactDecision(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ContactVerdict Verdict,
    [property: Id(2)] string Reason,
    [property: Id(3)] ConsentStatus Consent,
    [property: Id(4)] long SentInWindow,
    [property: Id(5)] int MaxMessages,
    [property: Id(6)] CounterWindow Window,
    [property: Id(7)] DateTimeOffset? NextAllowedAt,
    [property: Id(8)] ConsentDecision? ConsentRecord = null,
    [property: Id(9)] string? Rule = null)
{
    public bool Allowed => Verdict == ContactVerdict.Allowed;
}
