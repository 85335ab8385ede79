namespace ProfileGrains.Grains;

/// <summary>One customer's stored membership of a segment shard.</summary>
public readonly record struct MemberRow(string CustomerId, long Version, bool IsMember);

/// <summary>Rows read from the store, and the store's clock when it read them (the watermark of the next read).</summary>
public sealed record MemberRows(IReadOnlyList<MemberRow> Rows, DateTimeOffset ReadAt);
