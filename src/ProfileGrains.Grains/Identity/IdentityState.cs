using ProfileGrains.Abstractions;
using ProfileGrains.Domain;

namespace ProfileGrains.Grains;

[GenerateSerializer, Alias("pg.IdentityState")]
public sealed class IdentityState
{
    [Id(0)] public CustomerIdentifier Identifier { get; set; }
    [Id(1)] public string? CustomerId { get; set; }
    [Id(2)] public DateTimeOffset? LinkedAt { get; set; }

    /// <summary>Every change of owner, newest last (bounded), to explain why the identifier points where it does.</summary>
    [Id(3)] public List<IdentityLink> History { get; set; } = [];

    /// <summary>Merges this identifier triggered recently, and its quarantine if it pulled too many people together.</summary>
    [Id(4)] public IdentifierLinkGuard Guard { get; set; } = new();
}
