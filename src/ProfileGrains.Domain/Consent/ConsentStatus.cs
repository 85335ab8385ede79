namespace ProfileGrains.Domain;

public enum ConsentStatus
{
    Unknown = 0,
    Granted = 1,
    Denied = 2,

    /// <summary>Granted once, then taken back: counts as a refusal from its date on.</summary>
    Withdrawn = 3,
}
