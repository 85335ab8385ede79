namespace ProfileGrains.Domain;

/// <summary>What happens when an erased person's identifiers arrive again.</summary>
public enum ReingestAfterErasure
{
    /// <summary>They make a new profile, with no history and no consent: the person is a newcomer.</summary>
    FreshProfile = 0,

    /// <summary>They stay unusable: not linked, reported as erased, and a request with nothing else is refused.</summary>
    Refuse = 1,
}
