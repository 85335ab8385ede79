namespace ProfileGrains.Domain;

/// <summary>One identifier's entry as it is stored: its owner, since when, and its detail if it has any.</summary>
public sealed record IdentityRow(IdentityKey Key, string CustomerId, DateTimeOffset LinkedAt, IdentityDetail? Detail);
