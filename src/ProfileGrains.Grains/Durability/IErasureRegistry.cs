namespace ProfileGrains.Grains;

/// <summary>
/// Which customer ids were erased, remembered by their keyed hash only. A silo's identity cache may still route an
/// erased person's identifier to their old id; the customer grain asks here before it lets such an id be created again.
/// </summary>
public interface IErasureRegistry
{
    /// <summary>Completes once the erasures would survive every silo crashing. Idempotent.</summary>
    Task RecordAsync(IReadOnlyList<string> customerIds);

    Task<bool> WasErasedAsync(string customerId);
}
