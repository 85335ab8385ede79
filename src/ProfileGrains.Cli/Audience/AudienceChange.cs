namespace ProfileGrains.Cli.Audience;

/// <summary>One change as delivered: who, enter or exit, when, and the cursor that follows it (none in a snapshot).</summary>
public sealed record AudienceChange(string CustomerId, string Change, DateTimeOffset? At, string? Cursor, string? Origin = null);
