namespace ProfileGrains.Abstractions;

/// <summary>
/// Durable storage could not take a change, so it was not applied: the caller gets UNAVAILABLE and may retry with the
/// same ids. Crosses grain calls, so it carries only a message.
/// </summary>
[GenerateSerializer, Alias("pg.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
