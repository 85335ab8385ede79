using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// The one way every gateway read finds its customer: by customer id or identifier, following merges, and NOT_FOUND
/// (the same answer) for an unknown identifier and for a customer that does not exist.
/// </summary>
internal sealed class CustomerReads(ProfileRouter router, RequestMapper mapper)
{
    private const string Unknown = "no customer has this identifier";

    /// <summary>Reads the customer a <c>CustomerRef</c> names; returns the customer that answered (the survivor of any merge).</summary>
    public async Task<(string CustomerId, T Result)> Read<T>(Api.CustomerRef? reference, string field, Func<ICustomerGrain, Task<T?>> read)
        where T : class
    {
        var (holder, result) = await router.CallCustomer(await Resolve(reference, field), read);
        return (holder, result ?? throw GrpcErrors.NotFound("no such customer"));
    }

    /// <summary>As <see cref="Read{T}"/>, and says whether the customer id named had been merged into the one that answered.</summary>
    public async Task<(T Result, MergedAway? MergedAway)> ReadFollowingMerges<T>(Api.CustomerRef? reference, string field, Func<ICustomerGrain, Task<T?>> read)
        where T : class
    {
        var (_, result, mergedAway) = await router.CallFollowingMerges(await Resolve(reference, field), read);
        return (result ?? throw GrpcErrors.NotFound("no such customer"), mergedAway);
    }

    /// <summary>The reads a till or a website makes with one identifier.</summary>
    public async Task<(string CustomerId, T Result)> ReadByIdentifier<T>(Api.Identifier? requested, Violations v, Func<ICustomerGrain, Task<T?>> read)
        where T : class
    {
        var identifier = mapper.Identifier(requested, "identifier", v);
        v.ThrowIfAny();
        var (holder, result) = await router.CallCustomer(await Resolve(null, identifier), read);
        return (holder, result ?? throw GrpcErrors.NotFound(Unknown));
    }

    public async Task<string> Resolve(Api.CustomerRef? reference, string field)
    {
        var v = new Violations();
        var (customerId, identifier) = mapper.CustomerRef(reference, field, v);
        v.ThrowIfAny();
        return await Resolve(customerId, identifier);
    }

    public async Task<string> Resolve(string? customerId, CustomerIdentifier? identifier) =>
        customerId ?? await router.Resolve(identifier!.Value) ?? throw GrpcErrors.NotFound(Unknown);
}
