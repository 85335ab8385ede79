namespace ProfileGrains.Grains;

/// <summary>A write (a journal append, an identity change) that did not become durable: what it carried must be treated as not applied.</summary>
public sealed class DurableWriteException : Exception
{
    public DurableWriteException()
    {
    }

    public DurableWriteException(string message)
        : base(message)
    {
    }

    public DurableWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
