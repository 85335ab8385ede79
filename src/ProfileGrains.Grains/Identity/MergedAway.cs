namespace ProfileGrains.Grains;

/// <summary>
/// A customer id that names a record merged into another: reads of it are answered by <paramref name="SurvivorId"/>,
/// which holds everything the record held, since <paramref name="MergedAt"/>.
/// </summary>
public sealed record MergedAway(string CustomerId, string SurvivorId, DateTimeOffset MergedAt);
