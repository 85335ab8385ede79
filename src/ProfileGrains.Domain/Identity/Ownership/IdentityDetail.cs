namespace ProfileGrains.Domain;

/// <summary>
/// What few identifiers need beyond their owner: the changes of owner after the first, and the merge guard of those
/// that triggered merges. Most identifiers never have one (see <see cref="IdentityTable"/>).
/// </summary>
[GenerateSerializer, Alias("pg.IdentityDetail")]
public sealed class IdentityDetail
{
    /// <summary>Every change of owner, newest last, at most <see cref="IdentityTable.MaxHistory"/>.</summary>
    [Id(0)] public List<IdentityLink> History { get; set; } = [];

    /// <summary>Merges this identifier triggered recently, and its quarantine if it pulled too many people together.</summary>
    [Id(1)] public IdentifierLinkGuard Guard { get; set; } = new();
}
