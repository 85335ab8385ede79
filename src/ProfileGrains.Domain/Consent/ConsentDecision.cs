namespace ProfileGrains.Domain;

/// <summary>
/// One decision of the customer for one channel and purpose: what, when, where it was collected, which wording they
/// were shown and which request carried it — the proof a retailer must be able to give (GDPR art. 7).
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.ConsentDecision")]
public sealed record ConsentDecision(
    [property: Id(0)] ContactChannel Channel,
    [property: Id(1)] ConsentStatus Status,
    [property: Id(2)] DateTimeOffset DecidedAt,
    [property: Id(3)] string? Source,
    [property: Id(4)] ConsentPurpose Purpose = ConsentPurpose.Marketing,
    [property: Id(5)] string? WordingVersion = null,
    [property: Id(6)] string? RequestId = null)
{
    /// <summary>Granted, and not since denied or withdrawn.</summary>
    public bool Allows => Status == ConsentStatus.Granted;

    /// <summary>Denied or withdrawn.</summary>
    public bool Refuses => Status is ConsentStatus.Denied or ConsentStatus.Withdrawn;

    public (ContactChannel Channel, ConsentPurpose Purpose) Pair => (Channel, Purpose);
}
