namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.CustomerDirectoryState")]
public sealed class CustomerDirectoryState
{
    [Id(0)] public SortedSet<string> CustomerIds { get; set; } = new(StringComparer.Ordinal);
}
