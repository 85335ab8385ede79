namespace ProfileGrains.Domain;

/// <summary>
/// An unmerge under way, kept by the survivor until the restored record is live again and its identifiers lead to it:
/// whoever meets it finishes it (each step is idempotent), as with merges.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.PendingRestore")]
public sealed record PendingRestore(
    [property: Id(0)] MergeRecord Merge,
    [property: Id(1)] string RestoredCustomerId,
    [property: Id(2)] CustomerProfile Restored,
    [property: Id(3)] IReadOnlyList<CustomerIdentifier> Moved,
    [property: Id(4)] MergeRecord Unmerge)
{
    public string MergeId => Merge.MergeId;
}
