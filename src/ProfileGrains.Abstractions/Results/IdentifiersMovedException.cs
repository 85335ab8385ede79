namespace ProfileGrains.Abstractions;

/// <summary>
/// Thrown by a customer asked to take a change that came only through identifiers an unmerge gave back to another
/// record (a route remembered from before the unmerge): the caller repairs its route and retries on
/// <see cref="MovedTo"/>, first finishing the unmerge when it is still under way (<see cref="PendingMergeId"/>).
/// </summary>
[GenerateSerializer, Alias("pg.IdentifiersMovedException")]
public sealed class IdentifiersMovedException : Exception
{
    public IdentifiersMovedException()
    {
    }

    public IdentifiersMovedException(string message)
        : base(message)
    {
    }

    public IdentifiersMovedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IdentifiersMovedException(string customerId, string movedTo, string? pendingMergeId)
        : base($"these identifiers of customer {customerId} went back to {movedTo} when a merge was reversed")
    {
        CustomerId = customerId;
        MovedTo = movedTo;
        PendingMergeId = pendingMergeId;
    }

    [Id(0)] public string CustomerId { get; private set; } = string.Empty;

    [Id(1)] public string MovedTo { get; private set; } = string.Empty;

    [Id(2)] public string? PendingMergeId { get; private set; }
}
