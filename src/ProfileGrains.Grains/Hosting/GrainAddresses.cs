namespace ProfileGrains.Grains;

/// <summary>
/// The grain types of the grains called on every request, and their ids built directly. <c>GetGrain&lt;T&gt;(key)</c>
/// finds the grain type of an interface by reading its attributes through reflection on every call (measured: a few
/// percent of the engine's allocations at 100,000 customers); <c>GetGrain&lt;T&gt;(GrainId)</c> does not.
/// </summary>
public static class GrainAddresses
{
    public const string CustomerType = "customer";
    public const string IdentityShardType = "identity-shard";

    private static readonly GrainType Customer = GrainType.Create(CustomerType);
    private static readonly GrainType IdentityShard = GrainType.Create(IdentityShardType);

    public static GrainId OfCustomer(string customerId) => GrainId.Create(Customer, customerId);

    public static GrainId OfIdentityShard(int shard) => GrainId.Create(IdentityShard, GrainIdKeyExtensions.CreateIntegerKey(shard));
}
