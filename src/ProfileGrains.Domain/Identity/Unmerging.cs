namespace ProfileGrains.Domain;

/// <summary>
/// Reverses a merge: each record starts again from itself just before the merge, and every change the survivor took
/// since goes to the record whose identifiers brought it. A change that came only through identifiers of the absorbed
/// record (or identifiers first seen beside them) goes back to it; anything else, including a change naming both
/// records, stays with the survivor. Replayed with <see cref="CustomerChanges"/>, so counters, transactions and
/// dedupe come out exactly as if the records had never met.
/// </summary>
public static class Unmerging
{
    public const string Rule = "unmerge";

    /// <param name="undo">Consumed: its copies become the two records.</param>
    public static PendingRestore Split(MergeUndo undo, CustomerProfile current, string reason, DateTimeOffset now)
    {
        var survivor = undo.SurvivorBefore;
        var restored = undo.AbsorbedBefore;
        var survivorOwn = survivor.Identifiers.ToHashSet();
        var absorbedOwn = restored.Identifiers.ToHashSet();
        var survivorIds = survivorOwn.ToHashSet();
        var absorbedIds = absorbedOwn.ToHashSet();
        foreach (var change in undo.Changes)
        {
            var linked = Linked(change);
            var goesBack = linked.Any(absorbedIds.Contains) && !linked.Any(survivorIds.Contains);
            CustomerChanges.Apply(goesBack ? restored : survivor, goesBack ? restored.CustomerId : survivor.CustomerId, change);
            if (goesBack)
            {
                absorbedIds.UnionWith(linked.Where(id => !survivorOwn.Contains(id)));
            }
            else
            {
                survivorIds.UnionWith(linked.Where(id => !absorbedOwn.Contains(id)));
            }
        }

        absorbedIds.ExceptWith(survivorIds);
        survivor.RemoveIdentifiers(absorbedIds);
        restored.RemoveIdentifiers(restored.Identifiers.Where(id => !absorbedIds.Contains(id)).ToList());

        var unmerge = new MergeRecord(undo.Merge.MergeId + "/undone", restored.CustomerId, now, null, $"{Rule}: {reason}");
        survivor.TakePlaceOf(current, undo.Merge, unmerge, now);
        return new PendingRestore(undo.Merge, restored.CustomerId, restored, [.. restored.Identifiers], unmerge);
    }

    private static IReadOnlyList<CustomerIdentifier> Linked(CustomerChange change) => change switch
    {
        TrackChange track => track.Linked,
        IdentifyChange identify => identify.Linked,
        _ => [],
    };
}
