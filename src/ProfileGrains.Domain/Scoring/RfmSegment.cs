namespace ProfileGrains.Domain;

/// <summary>The named cell of a customer in the RFM grid (see <see cref="CustomerScoring.Segment"/>).</summary>
public enum RfmSegment
{
    /// <summary>Never bought: no RFM cell.</summary>
    None = 0,
    Champions = 1,
    Loyal = 2,
    PotentialLoyalist = 3,
    New = 4,
    Promising = 5,
    NeedAttention = 6,
    AboutToSleep = 7,
    AtRisk = 8,
    CannotLoseThem = 9,
    Hibernating = 10,
    Lost = 11,
}
