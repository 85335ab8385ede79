namespace ProfileGrains.Cli.Import;

/// <summary>A CSV value that cannot be read as its column says (a date, an amount, a status).</summary>
public sealed class ImportFieldException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
