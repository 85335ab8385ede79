namespace ProfileGrains.Grains;

/// <summary>A journal append that did not become durable. The change it carried must be treated as not applied.</summary>
public sealed class JournalWriteException : Exception
{
    public JournalWriteException()
    {
    }

    public JournalWriteException(string message)
        : base(message)
    {
    }

    public JournalWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
