namespace ProfileGrains.Domain;

/// <summary>New trait values and the paths (protobuf field-mask style) that say which of them to apply.</summary>
[GenerateSerializer, Immutable, Alias("pg.TraitsUpdate")]
public sealed record TraitsUpdate(
    [property: Id(0)] ProfileTraits Values,
    [property: Id(1)] IReadOnlyList<string> Paths)
{
    public bool IsEmpty => Paths.Count == 0;
}
