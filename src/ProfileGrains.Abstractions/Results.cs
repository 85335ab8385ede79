using ProfileGrains.Domain;

namespace ProfileGrains.Abstractions;

/// <summary>An identifier that could not be linked because another customer already owns it.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentifierConflict")]
public sealed record IdentifierConflict(
    [property: Id(0)] CustomerIdentifier Identifier,
    [property: Id(1)] string OwnerCustomerId,
    [property: Id(2)] string Reason);

[GenerateSerializer, Immutable, Alias("pg.IdentifyResult")]
public sealed record IdentifyResult(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] bool Created,
    [property: Id(2)] IReadOnlyList<IdentifierConflict> Conflicts,
    [property: Id(3)] string? TraitsError);

[GenerateSerializer, Immutable, Alias("pg.TrackResult")]
public sealed record TrackResult(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] TrackOutcome Outcome,
    [property: Id(2)] IReadOnlyList<IdentifierConflict> Conflicts);

[GenerateSerializer, Immutable, Alias("pg.CustomerChangeResult")]
public sealed record CustomerChangeResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] string? Error);

[GenerateSerializer, Immutable, Alias("pg.UpdateTraitsResult")]
public sealed record UpdateTraitsResult(
    [property: Id(0)] ProfileView? Profile,
    [property: Id(1)] string? Error);

[GenerateSerializer, Immutable, Alias("pg.SegmentInfo")]
public sealed record SegmentInfo(
    [property: Id(0)] SegmentDefinition Definition,
    [property: Id(1)] long MemberCount);

/// <summary>Every segment definition at one catalog version.</summary>
[GenerateSerializer, Immutable, Alias("pg.SegmentCatalogSnapshot")]
public sealed record SegmentCatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<SegmentDefinition> Definitions);
