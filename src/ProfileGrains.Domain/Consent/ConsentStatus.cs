namespace ProfileGrains.Domain;

public enum ConsentStatus
{
    Unknown = 0,
    Granted = 1,
    Denied = 2,
}
