namespace ProfileGrains.Domain;

/// <summary>What applying a change did: whether the profile changed at all, and what the caller is told.</summary>
public readonly record struct ChangeOutcome(bool Changed, bool Created, TrackOutcome Track, string? TraitsError);
