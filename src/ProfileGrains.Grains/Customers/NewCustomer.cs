namespace ProfileGrains.Grains;

/// <summary>
/// A customer id the router has just minted and won its identifiers for has nothing stored under it, so the activation
/// that its creating call starts need not read a snapshot and a journal tail that cannot exist (measured: those two
/// reads were half of PostgreSQL's statements per new customer). The mark travels in the call's request context, which
/// Orleans imports before it activates the grain, and names the one customer it is for.
/// Should the mark ever meet a customer that does have history (an activation lost and replaced within the moments
/// between claim and call), nothing is lost: the journal refuses a first entry for a customer it already holds, and
/// that refusal discards the activation, so the next call reads what is stored.
/// </summary>
public static class NewCustomer
{
    private const string Key = "pg.new-customer";

    /// <summary>Makes the call that creates <paramref name="customerId"/>, marked as such.</summary>
    public static async Task<T> Creating<T>(string customerId, Func<Task<T>> call)
    {
        RequestContext.Set(Key, customerId);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(Key);
        }
    }

    /// <summary>True while activating <paramref name="customerId"/> for the call that creates it.</summary>
    public static bool IsBeingCreated(string customerId) => RequestContext.Get(Key) is string marked && marked == customerId;

    /// <inheritdoc cref="IsBeingCreated(string)"/>
    public static bool IsBeingCreated(GrainId grainId) =>
        RequestContext.Get(Key) is string marked && grainId.Type == GrainReferences.Customers && grainId.Key.ToString() == marked;
}
