namespace ProfileGrains.Grains;

/// <summary>
/// A request whose every usable identifier belonged to people erased at their request, with re-ingestion refused
/// (<see cref="Domain.ReingestAfterErasure.Refuse"/>): nobody can be identified, and nobody is created.
/// </summary>
public sealed class IdentifiersErasedException : Exception
{
    public IdentifiersErasedException()
        : base("every identifier of the request belonged to a person erased at their request; they may not be used again")
    {
    }

    public IdentifiersErasedException(string message)
        : base(message)
    {
    }

    public IdentifiersErasedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
