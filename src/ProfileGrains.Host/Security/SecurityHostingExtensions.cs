using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProfileGrains.Grains;

namespace ProfileGrains.Host.Security;

/// <summary>
/// Who may call what: API keys with scopes (<see cref="ApiKeyRing"/>), checked by ASP.NET Core's authentication and
/// authorization before any RPC runs. With no key configured the engine is open, which it allows only when it listens on
/// loopback: a development machine, never a network.
/// </summary>
public static class SecurityHostingExtensions
{
    public static WebApplicationBuilder AddProfileGrainsSecurity(this WebApplicationBuilder builder, ProfileGrainsOptions options)
    {
        var section = builder.Configuration.GetSection(AuthOptions.SectionName);
        builder.Services.Configure<AuthOptions>(section);
        var auth = section.Get<AuthOptions>() ?? new AuthOptions();
        ApiKeyRing.Compile(auth);
        if (auth.ApiKeys.Count == 0 && !IPAddress.IsLoopback(IPAddress.Parse(options.ListenAddress)))
        {
            throw new InvalidOperationException(
                $"ProfileGrains:ListenAddress is {options.ListenAddress}, which is not loopback, and no API key is configured under " +
                $"{AuthOptions.SectionName}:ApiKeys: the engine would serve customer data to anyone who can reach it. Configure keys " +
                "(README, Security) or listen on 127.0.0.1.");
        }

        if (auth.CustomerTokenSecret is { Length: > 0 and < 32 })
        {
            throw new InvalidOperationException($"{AuthOptions.SectionName}:CustomerTokenSecret must be at least 32 characters.");
        }

        builder.Services.AddSingleton<ApiKeyRing>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CustomerTokens>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        builder.Services.AddProfileGrainsRateLimits();
        builder.Services.AddAuthorization(authorization =>
        {
            foreach (var scope in Scopes.All.Append(Scopes.Authenticated).Append(Scopes.Self))
            {
                authorization.AddPolicy(scope, policy => policy.AddRequirements(new ScopeRequirement(scope)));
            }
        });
        return builder;
    }

    /// <summary>Reflection lists every RPC and message: on in open development mode, otherwise only when enabled, for admin keys.</summary>
    public static void MapReflectionIfAllowed(this WebApplication app)
    {
        var auth = app.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.ApiKeys.Count == 0)
        {
            app.MapGrpcReflectionService();
        }
        else if (auth.Reflection == true)
        {
            app.MapGrpcReflectionService().RequireAuthorization(Scopes.Admin);
        }
    }

    public static void LogSecurity(this ILogger log, ApiKeyRing ring)
    {
        if (ring.IsOpen)
        {
            log.LogWarning("No API key configured ({Section}:ApiKeys): open development mode, allowed because the engine listens on loopback only", AuthOptions.SectionName);
        }
        else
        {
            log.LogInformation("API keys required: every call needs 'authorization: Bearer <key>' with the scope of its RPC");
        }
    }
}
