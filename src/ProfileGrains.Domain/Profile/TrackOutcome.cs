namespace ProfileGrains.Domain;

public enum TrackOutcome
{
    Accepted = 1,
    Duplicate = 2,
}
