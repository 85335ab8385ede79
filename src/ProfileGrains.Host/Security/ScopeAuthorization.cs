using Microsoft.AspNetCore.Authorization;

namespace ProfileGrains.Host.Security;

/// <summary>The scope an RPC needs; <see cref="Scopes.Authenticated"/> is any valid key.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>A key holding the scope passes; in open development mode every call does.</summary>
public sealed class ScopeAuthorizationHandler(ApiKeyRing ring) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var user = context.User;
        if (ring.IsOpen
            || (user.Identity?.IsAuthenticated == true
                && (requirement.Scope == Scopes.Authenticated || user.HasClaim(ApiKeyRing.ScopeClaim, requirement.Scope))))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
