namespace ProfileGrains.Abstractions;

/// <summary>
/// Retention, cluster-wide (key 0): walks every customer, a page at a time, and has those quiet for longer than the
/// configured period erased.
/// </summary>
[Alias("pg.IRetentionSweepGrain")]
public interface IRetentionSweepGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure sweeps run (idempotent): every silo calls it now and then, so a lost activation comes back.</summary>
    [Alias("KeepSweeping")]
    Task KeepSweeping();
}
