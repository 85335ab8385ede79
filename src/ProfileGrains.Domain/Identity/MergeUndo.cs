namespace ProfileGrains.Domain;

/// <summary>
/// What it takes to reverse a customer's latest merge: both records as they were just before it, and every change the
/// survivor took since, in order. Kept for <see cref="Window"/> and at most <see cref="MaxChanges"/> changes; past
/// either, or once a later merge builds on it, the merge is final.
/// </summary>
[GenerateSerializer, Alias("pg.MergeUndo")]
public sealed class MergeUndo
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public const int MaxChanges = 1000;

    public MergeUndo(MergeRecord merge, CustomerProfile survivorBefore, CustomerProfile absorbedBefore)
    {
        Merge = merge;
        SurvivorBefore = survivorBefore;
        AbsorbedBefore = absorbedBefore;
    }

    [Id(0)] public MergeRecord Merge { get; private set; }

    [Id(1)] public CustomerProfile SurvivorBefore { get; private set; }

    [Id(2)] public CustomerProfile AbsorbedBefore { get; private set; }

    [Id(3)] public List<CustomerChange> Changes { get; private set; } = [];

    /// <summary>Why the merge can no longer be reversed at <paramref name="now"/>, or null.</summary>
    public string? TooLate(DateTimeOffset now) =>
        now - Merge.MergedAt > Window ? $"the merge is older than {Window.TotalDays:0} days"
        : Changes.Count > MaxChanges ? $"the customer changed more than {MaxChanges} times since the merge"
        : null;

    /// <summary>Keeps a change the survivor took; false once the merge has become final.</summary>
    public bool Record(CustomerChange change)
    {
        Changes.Add(change);
        return TooLate(change.At) is null;
    }
}
