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
    [property: Id(3)] string? TraitsError,
    [property: Id(4)] IReadOnlyList<string> MergedCustomerIds);

[GenerateSerializer, Immutable, Alias("pg.TrackResult")]
public sealed record TrackResult(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] TrackOutcome Outcome,
    [property: Id(2)] IReadOnlyList<IdentifierConflict> Conflicts,
    [property: Id(3)] IReadOnlyList<string> MergedCustomerIds);

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
    [property: Id(1)] long MemberCount,
    [property: Id(2)] BackfillProgress Backfill);

public enum BackfillStatus
{
    Pending = 1,
    Running = 2,
    Done = 3,
}

/// <summary>How far the evaluation of a segment version over every existing customer has gone.</summary>
[GenerateSerializer, Immutable, Alias("pg.BackfillProgress")]
public sealed record BackfillProgress(
    [property: Id(0)] long Version,
    [property: Id(1)] BackfillStatus Status,
    [property: Id(2)] long Scanned,
    [property: Id(3)] long Total,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt);

/// <summary>Every segment definition at one catalog version.</summary>
[GenerateSerializer, Immutable, Alias("pg.SegmentCatalogSnapshot")]
public sealed record SegmentCatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<SegmentDefinition> Definitions,
    [property: Id(2)] IReadOnlyList<string> Deleted);

/// <summary>
/// Thrown by a customer grain whose record was merged into another: the caller retries on <see cref="MergedInto"/>.
/// Rare (stale references only), so an exception keeps every ordinary signature unchanged.
/// </summary>
[GenerateSerializer, Alias("pg.CustomerMergedException")]
public sealed class CustomerMergedException : Exception
{
    public CustomerMergedException()
    {
    }

    public CustomerMergedException(string message)
        : base(message)
    {
    }

    public CustomerMergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CustomerMergedException(string customerId, string mergedInto, bool completed)
        : base($"customer {customerId} was merged into {mergedInto}")
    {
        CustomerId = customerId;
        MergedInto = mergedInto;
        Completed = completed;
    }

    [Id(0)] public string CustomerId { get; private set; } = string.Empty;

    [Id(1)] public string MergedInto { get; private set; } = string.Empty;

    /// <summary>False while the merge is half done (its coordinator may have died): the caller finishes it.</summary>
    [Id(2)] public bool Completed { get; private set; }
}

[GenerateSerializer, Immutable, Alias("pg.IdentityLink")]
public sealed record IdentityLink(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason);

/// <summary>Why an identifier belongs to its customer: who owns it and every change of owner.</summary>
[GenerateSerializer, Immutable, Alias("pg.IdentityExplanation")]
public sealed record IdentityExplanation(
    [property: Id(0)] CustomerIdentifier Identifier,
    [property: Id(1)] string? CustomerId,
    [property: Id(2)] IReadOnlyList<IdentityLink> History);

/// <summary>
/// Durable storage could not take a change, so it was not applied: the caller gets UNAVAILABLE and may retry with the
/// same ids. Crosses grain calls, so it carries only a message.
/// </summary>
[GenerateSerializer, Alias("pg.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
