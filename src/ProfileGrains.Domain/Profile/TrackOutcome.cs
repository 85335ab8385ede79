namespace ProfileGrains.Domain;

public enum TrackOutcome
{
    Accepted = 1,
    Duplicate = 2,

    /// <summary>
    /// In a batch: every identifier of the event belonged to a person erased at their request who may not come back,
    /// so the event was counted for nobody (a single Track gets FAILED_PRECONDITION instead).
    /// </summary>
    NotLinked = 3,
}
