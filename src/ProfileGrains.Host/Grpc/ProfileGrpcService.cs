using Microsoft.AspNetCore.Authorization;
using Grpc.Core;
using ProfileGrains.Abstractions;
using ProfileGrains.Domain;
using ProfileGrains.Grains;
using Api = ProfileGrains.Protos.V1;

using ProfileGrains.Host.Security;

namespace ProfileGrains.Host.Grpc;

/// <summary>Maps the profile RPCs to grain calls; validation happens before any grain is touched.</summary>
internal sealed class ProfileGrpcService(
    ProfileRouter router,
    RequestMapper mapper,
    CustomerReads reads,
    IdentityProtectionPolicy protection,
    ErasureCoordinator erasures,
    IGrainFactory grains,
    DoNotCallCache doNotCall,
    CustomerTokens customerTokens,
    Microsoft.Extensions.Options.IOptionsMonitor<AuthOptions> auth) : Api.ProfileService.ProfileServiceBase
{
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(15);

    private const int DefaultQuarantinedListed = 100;
    private const int MaxQuarantinedListed = 1000;

    /// <summary>
    /// A sign-up with a valid email and a mistyped phone keeps the email: malformed identifiers are rejected one by one
    /// and reported in <c>identifier_outcomes</c>; the request fails only when none is usable.
    /// </summary>
    [Authorize(Scopes.Ingest)]
    public override async Task<Api.IdentifyResponse> Identify(Api.IdentifyRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var readings = mapper.IdentifiersOneByOne(request.Identifiers, "identifiers", v);
        var identifiers = readings.Usable;
        RefuseIfAllBlocked(identifiers, "identifiers", v);
        var traits = mapper.TraitsAcceptingWhatIsValid(request.Traits, "traits", v, out var rejectedTraits);
        if (identifiers.Count == 0 || !v.IsEmpty)
        {
            // The request fails: every problem is reported at once, the malformed identifiers and traits included.
            readings.AddRejectionsTo(v);
            foreach (var rejection in rejectedTraits.DistinctBy(r => r.Field))
            {
                v.Add(rejection.Field, rejection.Reason);
            }
        }

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
            MergedCustomerIds = { result.MergedCustomerIds },
            IdentifierOutcomes = { ViewMapper.Outcomes(request.Identifiers, readings, result.Conflicts) },
            RejectedTraits = { rejectedTraits.Select(ViewMapper.TraitRejection) },
        };
    }

    [Authorize(Scopes.Ingest)]
    public override async Task<Api.TrackResponse> Track(Api.TrackRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var trackedEvent = mapper.Event(request.Event, "event", v, out var readings);
        RefuseIfAllBlocked(trackedEvent?.Identifiers, "event.identifiers", v);
        v.ThrowIfAny();
        return ViewMapper.Track(await router.Track(trackedEvent!), request.Event.Identifiers, readings);
    }

    [Authorize(Scopes.Ingest)]
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
        var readings = new IdentifierReadings[request.Events.Count];
        for (var i = 0; i < request.Events.Count; i++)
        {
            if (mapper.Event(request.Events[i], $"events[{i}]", v, out readings[i]) is { } e)
            {
                RefuseIfAllBlocked(e.Identifiers, $"events[{i}].identifiers", v);
                events.Add(e);
            }
        }

        v.ThrowIfAny();
        var results = await router.TrackBatch(events);
        return new Api.TrackBatchResponse { Results = { results.Select((r, i) => ViewMapper.Track(r, request.Events[i].Identifiers, readings[i])) } };
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.Profile> GetProfile(Api.GetProfileRequest request, ServerCallContext context)
    {
        var (profile, mergedAway) = await reads.ReadFollowingMerges(request.Customer, "customer", c => c.GetProfile());
        return ViewMapper.Profile(profile, mergedAway);
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.Timeline> GetTimeline(Api.GetTimelineRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var query = TimelineMapper.Query(request, v);
        v.ThrowIfAny();
        var (page, mergedAway) = await reads.ReadFollowingMerges(request.Customer, "customer", c => c.GetTimeline(query));
        return TimelineMapper.Page(page, mergedAway);
    }

    [Authorize(Scopes.Privacy)]
    public override async Task<Api.CustomerExport> ExportCustomer(Api.ExportCustomerRequest request, ServerCallContext context)
    {
        var (record, mergedAway) = await reads.ReadFollowingMerges(request.Customer, "customer", c => c.GetRecord());
        return ViewMapper.Export(record, mapper.Now, mergedAway);
    }

    [Authorize(Scopes.Privacy)]
    public override async Task<Api.EraseCustomerResponse> EraseCustomer(Api.EraseCustomerRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var requestId = mapper.OperationId(request.RequestId, "request_id", v);
        var (customerId, identifier) = mapper.CustomerRef(request.Customer, "customer", v);
        v.ThrowIfAny();
        var requester = context.GetHttpContext().User.Identity?.Name ?? "open-development-mode";
        var erased = await erasures.Erase(await ErasureTarget(customerId, identifier, requestId), requestId, requester) ?? throw GrpcErrors.NotFound("no such customer");
        return new Api.EraseCustomerResponse
        {
            CustomerId = erased.CustomerId,
            RecordsErased = erased.Records,
            IdentifiersErased = erased.Identifiers,
            ErasedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(erased.CompletedAt),
        };
    }

    [Authorize(Scopes.SelfServiceIssuer)]
    public override async Task<Api.CustomerToken> IssueCustomerToken(Api.IssueCustomerTokenRequest request, ServerCallContext context)
    {
        // Range-checked before conversion: an absurd Duration would otherwise throw instead of being refused.
        var validFor = request.ValidFor switch
        {
            null => DefaultTokenLifetime,
            { Seconds: >= 0 and <= 86_400, Nanos: >= 0 and < 1_000_000_000 } d => d.ToTimeSpan(),
            _ => TimeSpan.MinValue,
        };
        var maxLifetime = auth.CurrentValue.CustomerTokenMaxLifetime;
        if (validFor < TimeSpan.FromSeconds(1) || validFor > maxLifetime)
        {
            throw GrpcErrors.InvalidArgument("valid_for", $"must be from 1 s to {maxLifetime}");
        }

        var (customerId, _) = await reads.Read(request.Customer, "customer", c => c.GetProfile());
        var (token, expiresAt) = customerTokens.Issue(customerId, validFor)
            ?? throw GrpcErrors.FailedPrecondition("customer tokens", $"no {AuthOptions.SectionName}:CustomerTokenSecret is configured: self-service is off");
        return new Api.CustomerToken { Token = token, ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(expiresAt), CustomerId = customerId };
    }

    /// <summary>At most this many numbers: the list is held by every silo (8 bytes and a set entry per number).</summary>
    private const int MaxDoNotCallNumbers = 20_000_000;

    [Authorize(Scopes.Admin)]
    public override async Task<Api.DoNotCallListSummary> ReplaceDoNotCallList(IAsyncStreamReader<Api.DoNotCallListChunk> requestStream, ServerCallContext context)
    {
        var numbers = new HashSet<ulong>();
        var v = new Violations();
        var chunk = 0;
        await foreach (var part in requestStream.ReadAllAsync(context.CancellationToken))
        {
            for (var i = 0; i < part.Sha256Hex.Count && v.Items.Count < 100; i++)
            {
                var hex = part.Sha256Hex[i];
                if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
                {
                    v.Add($"chunks[{chunk}].sha256_hex[{i}]", "must be 64 hexadecimal digits: the SHA-256 of an E.164 number");
                }
                else
                {
                    numbers.Add(DoNotCallList.FromSha256(Convert.FromHexString(hex)));
                }
            }

            if (numbers.Count > MaxDoNotCallNumbers)
            {
                v.Add("chunks", $"at most {MaxDoNotCallNumbers:N0} numbers");
            }

            if (!v.IsEmpty)
            {
                break;
            }

            chunk++;
        }

        v.ThrowIfAny();
        var version = await grains.GetGrain<IDoNotCallListGrain>(0).Replace(numbers);
        await doNotCall.RefreshAsync();
        return new Api.DoNotCallListSummary { Version = version, Numbers = numbers.Count };
    }

    /// <summary>
    /// The customer to erase. A retry of a request whose identifiers are already forgotten still reaches the ledger,
    /// which answers it or finishes it: nobody is then named, and the coordinator does not need anyone.
    /// </summary>
    private async Task<string> ErasureTarget(string? customerId, CustomerIdentifier? identifier, string requestId)
    {
        if (customerId is not null)
        {
            return customerId;
        }

        return await router.Resolve(identifier!.Value) ?? (await erasures.IsKnownRequest(requestId) ? string.Empty : throw GrpcErrors.NotFound("no customer has this identifier"));
    }

    [Authorize(Scopes.Lookup)]
    public override async Task<Api.CheckoutSummary> Lookup(Api.LookupRequest request, ServerCallContext context)
    {
        var (_, summary) = await reads.ReadByIdentifier(request.Identifier, new Violations(), c => c.GetCheckoutSummary());
        return ViewMapper.Checkout(summary);
    }

    [Authorize(Scopes.Lookup)]
    public override async Task<Api.Personalization> GetPersonalization(Api.GetPersonalizationRequest request, ServerCallContext context)
    {
        var (_, view) = await reads.ReadByIdentifier(request.Identifier, new Violations(), c => c.GetPersonalization());
        return ViewMapper.Personalization(view);
    }

    [Authorize(Scopes.Lookup)]
    public override async Task<Api.ContactDecision> CanContact(Api.CanContactRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var channel = request.Channel.ToDomain();
        if (channel is null)
        {
            v.Add("channel", "must be email, sms, phone, post, push or in_store");
        }

        var (holder, decision) = await reads.ReadByIdentifier(request.Identifier, v, c => c.CanContact(channel!.Value));
        return ViewMapper.Contact(holder, decision);
    }

    [Authorize(Scopes.Ingest)]
    public override async Task<Api.Profile> UpdateProfile(Api.UpdateProfileRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var (customerId, identifier) = mapper.CustomerRef(request.Customer, "customer", v);
        var update = mapper.TraitsWithMask(request.Traits, request.UpdateMask, v);
        v.ThrowIfAny();

        var (_, result, mergedAway) = await router.CallFollowingMerges(await reads.Resolve(customerId, identifier), c => c.UpdateTraits(update));
        if (result.Error is { } error)
        {
            throw GrpcErrors.InvalidArgument("traits", error);
        }

        return ViewMapper.Profile(result.Profile ?? throw GrpcErrors.NotFound("no such customer"), mergedAway);
    }

    [Authorize(Scopes.Read)]
    public override async Task<Api.IdentityExplanation> ExplainIdentity(Api.ExplainIdentityRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var identifier = mapper.Identifier(request.Identifier, "identifier", v);
        v.ThrowIfAny();
        var explanation = await router.Explain(identifier!.Value);
        if (explanation.CustomerId is null)
        {
            throw GrpcErrors.NotFound("no customer has this identifier");
        }

        var (_, merges) = await router.CallCustomer(explanation.CustomerId, c => c.GetMergeHistory());
        return ViewMapper.Explanation(explanation, merges);
    }

    [Authorize(Scopes.Admin)]
    public override async Task<Api.ListQuarantinedIdentifiersResponse> ListQuarantinedIdentifiers(Api.ListQuarantinedIdentifiersRequest request, ServerCallContext context)
    {
        if (request.Max is < 0 or > MaxQuarantinedListed)
        {
            throw GrpcErrors.InvalidArgument("max", $"must be between 1 and {MaxQuarantinedListed} (0: {DefaultQuarantinedListed})");
        }

        var quarantined = await router.ListQuarantined(request.Max == 0 ? DefaultQuarantinedListed : request.Max);
        return new Api.ListQuarantinedIdentifiersResponse { Identifiers = { quarantined.Select(ViewMapper.Quarantined) } };
    }

    [Authorize(Scopes.Admin)]
    public override async Task<Api.UnmergeCustomersResponse> UnmergeCustomers(Api.UnmergeCustomersRequest request, ServerCallContext context)
    {
        var v = new Violations();
        RequestMapper.MergeId(request.MergeId, "merge_id", v);
        var reason = RequestMapper.OperatorReason(request.Reason, "reason", v);
        v.ThrowIfAny();

        var (result, refusal) = await router.Unmerge(request.MergeId, reason);
        if (result is null)
        {
            throw GrpcErrors.FailedPrecondition("merge_id", refusal ?? "this merge cannot be reversed");
        }

        return new Api.UnmergeCustomersResponse
        {
            SurvivorCustomerId = result.SurvivorCustomerId,
            RestoredCustomerId = result.RestoredCustomerId,
            MovedIdentifiers = { result.MovedIdentifiers.Select(ViewMapper.Identifier) },
        };
    }

    [Authorize(Scopes.Admin)]
    public override async Task<Api.IdentityExplanation> ReleaseQuarantine(Api.ReleaseQuarantineRequest request, ServerCallContext context)
    {
        var v = new Violations();
        var (key, identifier) = mapper.QuarantineTarget(request, v, router.KeyOf);
        var reason = RequestMapper.OperatorReason(request.Reason, "reason", v);
        v.ThrowIfAny();

        var ownership = await router.ReleaseQuarantine(key, reason);
        if (ownership.CustomerId is null)
        {
            throw GrpcErrors.NotFound("no customer has this identifier");
        }

        var (_, merges) = await router.CallCustomer(ownership.CustomerId, c => c.GetMergeHistory());
        return ViewMapper.Released(ownership, merges, identifier);
    }

    /// <summary>A request whose every identifier is junk ("test@test.com") cannot be attributed to anyone.</summary>
    private void RefuseIfAllBlocked(IReadOnlyList<CustomerIdentifier>? identifiers, string field, Violations v)
    {
        if (identifiers is not { Count: > 0 })
        {
            return;
        }

        var reasons = new List<string>();
        foreach (var id in identifiers)
        {
            if (!protection.IsBlocked(id, out var reason))
            {
                return;
            }

            reasons.Add(reason);
        }

        v.Add(field, "every identifier is a blocked placeholder value, so nobody can be identified: " + string.Join("; ", reasons.Distinct()));
    }
}
