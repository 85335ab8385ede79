using Orleans.Metadata;
using ProfileGrains.Abstractions;

namespace ProfileGrains.Grains;

/// <summary>
/// References to the grains called on every request, built without reflection. Both <c>GetGrain&lt;T&gt;(key)</c> and
/// <c>GetGrain&lt;T&gt;(GrainId)</c> work out the interface's grain-interface type from its attributes and type name on
/// every call (measured: 2–4 % of the engine's allocations at 100,000 customers); here it is worked out once.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains, GrainInterfaceTypeResolver interfaces)
{
    public const string CustomerType = "customer";
    public const string IdentityShardType = "identity-shard";

    public static readonly GrainType Customers = GrainType.Create(CustomerType);
    private static readonly GrainType IdentityShards = GrainType.Create(IdentityShardType);

    private readonly GrainInterfaceType _customer = interfaces.GetGrainInterfaceType(typeof(ICustomerGrain));
    private readonly GrainInterfaceType _identityShard = interfaces.GetGrainInterfaceType(typeof(IIdentityShardGrain));

    public ICustomerGrain Customer(string customerId) =>
        (ICustomerGrain)grains.GetGrain(GrainId.Create(Customers, customerId), _customer);

    public IIdentityShardGrain IdentityShard(int shard) =>
        (IIdentityShardGrain)grains.GetGrain(GrainId.Create(IdentityShards, GrainIdKeyExtensions.CreateIntegerKey(shard)), _identityShard);
}
