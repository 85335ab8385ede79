using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>The do-not-call list, versioned, so every silo can check numbers locally. Key: 0.</summary>
[Alias("pg.IDoNotCallListGrain")]
public interface IDoNotCallListGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces the whole list (durable before it answers); returns the new version.</summary>
    [Alias("Replace")]
    Task<long> Replace([Immutable] IReadOnlyCollection<ulong> numbers);

    /// <summary>Null when the caller's version is current.</summary>
    [Alias("GetIfNewer"), ReadOnly]
    Task<DoNotCallList?> GetIfNewer(long knownVersion);
}
