namespace ProfileGrains.Abstractions;

/// <summary>
/// Thrown by a customer grain that was erased, or is being erased: it neither answers nor may be created again. A
/// caller that reached it through a remembered route forgets the route and resolves the identifiers afresh.
/// </summary>
[GenerateSerializer, Alias("pg.CustomerErasedException")]
public sealed class CustomerErasedException : Exception
{
    public CustomerErasedException()
    {
    }

    public CustomerErasedException(string customerId)
        : base($"customer {customerId} was erased")
    {
        CustomerId = customerId;
    }

    public CustomerErasedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)] public string CustomerId { get; private set; } = string.Empty;
}
