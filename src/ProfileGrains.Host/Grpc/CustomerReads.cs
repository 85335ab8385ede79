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
        var (customerId, identifier) = Reference(reference, field);
        var (holder, result) = await Routed(customerId, identifier, target => router.CallCustomer(target, read));
        return (holder, result ?? throw GrpcErrors.NotFound("no such customer"));
    }

    /// <summary>As <see cref="Read{T}"/>, and says whether the customer id named had been merged into the one that answered.</summary>
    public async Task<(T Result, MergedAway? MergedAway)> ReadFollowingMerges<T>(Api.CustomerRef? reference, string field, Func<ICustomerGrain, Task<T?>> read)
        where T : class
    {
        var (customerId, identifier) = Reference(reference, field);
        var (_, result, mergedAway) = await Routed(customerId, identifier, target => router.CallFollowingMerges(target, read));
        return (result ?? throw GrpcErrors.NotFound("no such customer"), mergedAway);
    }

    /// <summary>The reads a till or a website makes with one identifier.</summary>
    public async Task<(string CustomerId, T Result)> ReadByIdentifier<T>(Api.Identifier? requested, Violations v, Func<ICustomerGrain, Task<T?>> read)
        where T : class
    {
        var identifier = mapper.Identifier(requested, "identifier", v);
        v.ThrowIfAny();
        var (holder, result) = await Routed(null, identifier, target => router.CallCustomer(target, read));
        return (holder, result ?? throw GrpcErrors.NotFound(Unknown));
    }

    public async Task<string> Resolve(Api.CustomerRef? reference, string field)
    {
        var (customerId, identifier) = Reference(reference, field);
        return await Resolve(customerId, identifier);
    }

    public async Task<string> Resolve(string? customerId, CustomerIdentifier? identifier) =>
        customerId ?? await router.Resolve(identifier!.Value) ?? throw GrpcErrors.NotFound(Unknown);

    private (string? CustomerId, CustomerIdentifier? Identifier) Reference(Api.CustomerRef? reference, string field)
    {
        var v = new Violations();
        var named = mapper.CustomerRef(reference, field, v);
        v.ThrowIfAny();
        return named;
    }

    /// <summary>
    /// Calls the customer named or found by identifier. A route this silo remembered may lead to a customer erased
    /// since: it is forgotten and the identifier resolved afresh, once. An erased customer named by id is NOT_FOUND.
    /// </summary>
    private async Task<TResult> Routed<TResult>(string? customerId, CustomerIdentifier? identifier, Func<string, Task<TResult>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            var target = await Resolve(customerId, identifier);
            try
            {
                return await call(target);
            }
            catch (CustomerErasedException erased) when (customerId is null && identifier is { } id && attempt == 0)
            {
                await router.ForgetErased([id], erased.CustomerId);
            }
        }
    }
}
