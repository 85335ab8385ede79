using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

/// <summary>One journal entry read back for replay.</summary>
public readonly record struct JournalEntry(long Sequence, CustomerChange Change);
