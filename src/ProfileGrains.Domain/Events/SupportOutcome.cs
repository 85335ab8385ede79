namespace ProfileGrains.Domain;

public enum SupportOutcome
{
    Unspecified = 0,
    Resolved = 1,
    Unresolved = 2,
    Escalated = 3,
    Pending = 4,
}
