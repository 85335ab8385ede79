using Grpc.Core;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>Maps the profile RPCs to grain calls; validation happens before any grain is touched.</summary>
internal sealed class ProfileGrpcService(IGrainFactory grains, ProfileRouter router, RequestMapper mapper) : Api.ProfileService.ProfileServiceBase
{
    public override async Task<Api.IdentifyResponse> Identify(Api.IdentifyRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var identifiers = mapper.Identifiers(request.Identifiers, "identifiers", v);
        var traits = mapper.TraitsFromSetFields(request.Traits, "traits", v);
        v.ThrowIfAny();

        var result = await router.Identify(identifiers, traits);
        if (result.TraitsError is { } error)
        {
            throw GrpcErrors.InvalidArgument("traits.custom_attributes", error);
        }

        return new Api.IdentifyResponse
        {
            CustomerId = result.CustomerId,
            Created = result.Created,
            Conflicts = { result.Conflicts.Select(ViewMapper.Conflict) },
        };
    }

    public override async Task<Api.TrackResponse> Track(Api.TrackRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var trackedEvent = mapper.Event(request.Event, "event", v);
        v.ThrowIfAny();
        return ViewMapper.Track(await router.Track(trackedEvent!));
    }

    public override async Task<Api.TrackBatchResponse> TrackBatch(Api.TrackBatchRequest request, ServerCallContext context)
    {
        var v = new Violations();
        if (request.Events.Count == 0)
        {
            v.Add("events", "at least one event is required");
        }
        else if (request.Events.Count > Limits.MaxBatchSize)
        {
            v.Add("events", $"at most {Limits.MaxBatchSize} events per batch");
        }

        v.ThrowIfAny();
        var events = new List<TrackedEvent>(request.Events.Count);
        for (var i = 0; i < request.Events.Count; i++)
        {
            if (mapper.Event(request.Events[i], $"events[{i}]", v) is { } e)
            {
                events.Add(e);
            }
        }

        v.ThrowIfAny();
        var results = await router.TrackBatch(events);
        return new Api.TrackBatchResponse { Results = { results.Select(ViewMapper.Track) } };
    }

    public override async Task<Api.Profile> GetProfile(Api.GetProfileRequest request, ServerCallContext context)
    {
        var customer = await ResolveCustomer(request.Customer, "customer");
        var profile = await customer.GetProfile() ?? throw GrpcErrors.NotFound("no such customer");
        return ViewMapper.Profile(profile);
    }

    public override async Task<Api.CheckoutSummary> Lookup(Api.LookupRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var identifier = mapper.Identifier(request.Identifier, "identifier", v);
        v.ThrowIfAny();
        var customerId = await router.Resolve(identifier!.Value) ?? throw GrpcErrors.NotFound("no customer has this identifier");
        var summary = await grains.GetGrain<ICustomerGrain>(customerId).GetCheckoutSummary() ?? throw GrpcErrors.NotFound("no customer has this identifier");
        return ViewMapper.Checkout(summary);
    }

    public override async Task<Api.Profile> UpdateProfile(Api.UpdateProfileRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var (customerId, identifier) = mapper.CustomerRef(request.Customer, "customer", v);
        var update = mapper.TraitsWithMask(request.Traits, request.UpdateMask, v);
        v.ThrowIfAny();

        var customer = await Resolve(customerId, identifier);
        var result = await customer.UpdateTraits(update);
        if (result.Error is { } error)
        {
            throw GrpcErrors.InvalidArgument("traits", error);
        }

        return ViewMapper.Profile(result.Profile ?? throw GrpcErrors.NotFound("no such customer"));
    }

    internal async Task<ICustomerGrain> ResolveCustomer(Api.CustomerRef? reference, string field)
    {
        var v = new Violations();
        var (customerId, identifier) = mapper.CustomerRef(reference, field, v);
        v.ThrowIfAny();
        return await Resolve(customerId, identifier);
    }

    private async Task<ICustomerGrain> Resolve(string? customerId, CustomerIdentifier? identifier)
    {
        customerId ??= await router.Resolve(identifier!.Value) ?? throw GrpcErrors.NotFound("no customer has this identifier");
        return grains.GetGrain<ICustomerGrain>(customerId);
    }
}
