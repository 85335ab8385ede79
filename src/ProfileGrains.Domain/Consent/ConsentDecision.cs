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
    [property: Id(6)] string? RequestId = null,
    [property: Id(7)] string? PurposeName = null)
{
    /// <summary>How a retailer's own purpose may be named: lowercase letters, digits and '_', starting with a letter.</summary>
    public static bool IsPurposeName(string? name) =>
        name is { Length: >= 1 and <= Limits.MaxPurposeNameLength } && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>Granted, and not since denied or withdrawn.</summary>
    public bool Allows => Status == ConsentStatus.Granted;

    /// <summary>Denied or withdrawn.</summary>
    public bool Refuses => Status is ConsentStatus.Denied or ConsentStatus.Withdrawn;

    /// <summary>What the decision is about: a channel and a purpose (a retailer's own purpose by its name).</summary>
    public (ContactChannel Channel, ConsentPurpose Purpose, string? PurposeName) Pair => (Channel, Purpose, PurposeName);
}
