namespace ProfileGrains.Domain;

public enum ContactChannel
{
    /// <summary>Every channel: for purposes not tied to one (personalization, profiling, partner sharing).</summary>
    All = 0,
    Email = 1,
    Sms = 2,
    Phone = 3,
    Post = 4,
    Push = 5,
    InStore = 6,
}
