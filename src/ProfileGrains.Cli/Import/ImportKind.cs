namespace ProfileGrains.Cli.Import;

public enum ImportKind
{
    /// <summary>Customers: identifiers, traits, consents (one Identify each).</summary>
    Customers,

    /// <summary>Past events (TrackBatch, a thousand at a time).</summary>
    Events,
}
