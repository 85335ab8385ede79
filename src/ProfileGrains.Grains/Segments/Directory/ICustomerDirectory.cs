namespace ProfileGrains.Grains;

/// <summary>
/// Every customer that exists, for work that must reach customers not in memory (segment back-fills). In postgres mode
/// the journal registers customers in a table as it writes their first change; in memory mode directory grains do.
/// </summary>
public interface ICustomerDirectory
{
    /// <summary>Called once when a customer is created.</summary>
    ValueTask Register(string customerId);

    /// <summary>Erasure: the customer is no longer listed. Durable before it completes; idempotent.</summary>
    Task Remove(string customerId);

    /// <summary>Customer ids in ordinal order after <paramref name="afterCustomerId"/>, a page at a time.</summary>
    Task<IReadOnlyList<string>> ListAsync(string? afterCustomerId, int max);

    Task<long> CountAsync();

    /// <summary>
    /// A uniform sample of about <paramref name="fraction"/> (0–1) of the customers, at most <paramref name="max"/>,
    /// that stays the same from call to call while the customers do (<see cref="Domain.CustomerSampling"/>).
    /// </summary>
    Task<IReadOnlyList<string>> SampleAsync(double fraction, int max);
}
