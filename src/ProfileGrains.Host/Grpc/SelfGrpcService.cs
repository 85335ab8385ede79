using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ProfileGrains.Host.Security;
using Api = ProfileGrains.Protos.V1;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// A customer's own access: each RPC is the profile RPC of the same purpose, aimed at the customer of the caller's
/// token (<see cref="CustomerTokens"/>). No request names a customer, so none can reach another.
/// </summary>
internal sealed class SelfGrpcService(ProfileGrpcService profiles) : Api.SelfService.SelfServiceBase
{
    /// <summary>Traits that are the retailer's to set, never the customer's.</summary>
    private static readonly string[] RetailerOwned = ["loyalty_tier", "custom_attributes"];

    [Authorize(Scopes.Self)]
    public override Task<Api.Profile> GetMyProfile(Api.GetMyProfileRequest request, ServerCallContext context) =>
        profiles.GetProfile(new Api.GetProfileRequest { Customer = Me(context) }, context);

    [Authorize(Scopes.Self)]
    public override Task<Api.Profile> UpdateMyProfile(Api.UpdateMyProfileRequest request, ServerCallContext context)
    {
        var me = Me(context);
        if (request.UpdateMask?.Paths.FirstOrDefault(IsRetailerOwned) is { } path)
        {
            throw GrpcErrors.InvalidArgument("update_mask", $"'{LogText.Escape(path)}' is the retailer's to set, not the customer's");
        }

        return profiles.UpdateProfile(new Api.UpdateProfileRequest { Customer = me, Traits = request.Traits, UpdateMask = request.UpdateMask }, context);
    }

    [Authorize(Scopes.Self)]
    public override Task<Api.CustomerExport> ExportMyRecord(Api.ExportMyRecordRequest request, ServerCallContext context) =>
        profiles.ExportCustomer(new Api.ExportCustomerRequest { Customer = Me(context) }, context);

    [Authorize(Scopes.Self)]
    public override Task<Api.EraseCustomerResponse> EraseMe(Api.EraseMeRequest request, ServerCallContext context) =>
        profiles.EraseCustomer(new Api.EraseCustomerRequest { Customer = Me(context), RequestId = request.RequestId }, context);

    private static bool IsRetailerOwned(string path) =>
        Array.Exists(RetailerOwned, owned => path == owned || path.StartsWith(owned + ".", StringComparison.Ordinal));

    /// <summary>The token's customer; in open development mode a call without a customer token has none.</summary>
    private static Api.CustomerRef Me(ServerCallContext context) =>
        context.GetHttpContext().User.FindFirst(CustomerTokens.CustomerClaim)?.Value is { } customerId
            ? new Api.CustomerRef { CustomerId = customerId }
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "a customer token is required (IssueCustomerToken)"));
}
