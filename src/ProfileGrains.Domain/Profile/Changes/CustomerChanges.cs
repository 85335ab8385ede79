namespace ProfileGrains.Domain;

/// <summary>The one place changes are applied, live and on replay, so both always agree.</summary>
public static class CustomerChanges
{
    public static ChangeOutcome Apply(CustomerProfile profile, string customerId, CustomerChange change)
    {
        var outcome = change switch
        {
            IdentifyChange identify => ApplyIdentify(profile, customerId, identify),
            TrackChange track => ApplyTrack(profile, customerId, track),
            TraitsChange traits => ApplyTraits(profile, traits),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "unknown customer change"),
        };

        if (outcome.Changed)
        {
            // Replay records it again after the snapshot, exactly as live.
            profile.RecordForUndo(change);
        }

        return outcome;
    }

    private static ChangeOutcome ApplyIdentify(CustomerProfile profile, string customerId, IdentifyChange change)
    {
        if (profile.CheckTraits(change.Traits) is { } error)
        {
            return new ChangeOutcome(false, false, default, error);
        }

        var created = profile.EnsureCreated(customerId, change.At);
        var added = profile.AddIdentifiers(change.Linked, change.At, change.AnonymousIdCap);
        var traitsError = profile.ApplyTraits(change.Traits, change.At);
        var changed = created || added.Count > 0 || (traitsError is null && !change.Traits.IsEmpty);
        return new ChangeOutcome(changed, created, default, traitsError);
    }

    private static ChangeOutcome ApplyTrack(CustomerProfile profile, string customerId, TrackChange change)
    {
        var created = profile.EnsureCreated(customerId, change.At);
        var added = profile.AddIdentifiers(change.Linked, change.At, change.AnonymousIdCap);
        var outcome = profile.Apply(change.Event, change.At, change.Timeline, change.ConversionWindow);
        var changed = created || added.Count > 0 || outcome == TrackOutcome.Accepted;
        return new ChangeOutcome(changed, created, outcome, null);
    }

    private static ChangeOutcome ApplyTraits(CustomerProfile profile, TraitsChange change)
    {
        if (!profile.Exists)
        {
            return default;
        }

        var error = profile.ApplyTraits(change.Update, change.At);
        return new ChangeOutcome(error is null && !change.Update.IsEmpty, false, default, error);
    }
}
