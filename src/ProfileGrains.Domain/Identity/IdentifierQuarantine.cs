namespace ProfileGrains.Domain;

/// <summary>Since when, why, and until when (null: until an operator releases it) an identifier is quarantined.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentifierQuarantine")]
public sealed record IdentifierQuarantine(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset? Until = null)
{
    public bool IsOver(DateTimeOffset now) => Until is { } until && now >= until;

    public override string ToString() => $"quarantined since {Since:O} {(Until is { } until ? $"until {until:O}" : "until released")}: {Reason}";
}
