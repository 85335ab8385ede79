using Orleans.Concurrency;
using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>The list of all segment definitions, versioned, so every silo can evaluate them locally.</summary>
[Alias("pg.ISegmentCatalogGrain")]
public interface ISegmentCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the catalog version that holds the definition.</summary>
    [Alias("Register")]
    Task<long> Register(SegmentDefinition definition);

    /// <summary>Removes a definition (if still at or below <paramref name="version"/>): no customer evaluates it any more.</summary>
    [Alias("Unregister")]
    Task Unregister(string segmentId, long version);

    /// <summary>Null when the caller's version is current.</summary>
    [Alias("GetIfNewer"), ReadOnly]
    Task<SegmentCatalogSnapshot?> GetIfNewer(long knownVersion);
}
