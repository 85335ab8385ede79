namespace ProfileGrains.Abstractions;

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

    public CustomerMergedException(string customerId, string mergedInto, bool completed, DateTimeOffset mergedAt)
        : base($"customer {customerId} was merged into {mergedInto}")
    {
        CustomerId = customerId;
        MergedInto = mergedInto;
        Completed = completed;
        MergedAt = mergedAt;
    }

    [Id(0)] public string CustomerId { get; private set; } = string.Empty;

    [Id(1)] public string MergedInto { get; private set; } = string.Empty;

    /// <summary>False while the merge is half done (its coordinator may have died): the caller finishes it.</summary>
    [Id(2)] public bool Completed { get; private set; }

    /// <summary>When the merge began: from then on this record answered nothing itself.</summary>
    [Id(3)] public DateTimeOffset MergedAt { get; private set; }
}
