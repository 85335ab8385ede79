namespace ProfileGrains.Domain;

/// <summary>
/// What erasing one person removes besides their live record: every identifier they hold (those kept for undoing their
/// latest merge included) and the records merged into theirs, whose tombstones still carry their customer ids.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.ErasurePlan")]
public sealed record ErasurePlan(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] IReadOnlyList<CustomerIdentifier> Identifiers,
    [property: Id(2)] IReadOnlyList<string> MergedAwayCustomerIds,
    [property: Id(3)] string? UnmergeUnderWay)
{
    /// <summary>The live record and every tombstone merged into it.</summary>
    public IEnumerable<string> Records => MergedAwayCustomerIds.Prepend(CustomerId);

    public static ErasurePlan For(CustomerProfile profile)
    {
        // A merge that was undone gave its record back to someone else: that record is not this person's to erase.
        var undone = profile.MergeHistory.Where(m => m.Rule.StartsWith(Unmerging.Rule, StringComparison.Ordinal)).Select(m => m.AbsorbedCustomerId).ToHashSet(StringComparer.Ordinal);
        var mergedAway = profile.MergeHistory
            .Where(m => !m.Rule.StartsWith(Unmerging.Rule, StringComparison.Ordinal) && !undone.Contains(m.AbsorbedCustomerId) && m.AbsorbedCustomerId != profile.CustomerId)
            .Select(m => m.AbsorbedCustomerId)
            .Distinct(StringComparer.Ordinal);
        var kept = profile.MergeUndo is { } undo ? undo.SurvivorBefore.Identifiers.Concat(undo.AbsorbedBefore.Identifiers) : [];
        return new ErasurePlan(profile.CustomerId, [.. profile.Identifiers.Concat(kept).Distinct()], [.. mergedAway], profile.PendingRestore?.MergeId);
    }
}
