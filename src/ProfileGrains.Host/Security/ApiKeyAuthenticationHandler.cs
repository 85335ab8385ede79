using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ProfileGrains.Host.Security;

/// <summary>
/// `authorization: Bearer &lt;key&gt;` against the <see cref="ApiKeyRing"/>. No header or an unknown key authenticates
/// nobody, and the authorization policies then answer UNAUTHENTICATED (HTTP 401) before any handler runs.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing ring,
    CustomerTokens customerTokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // A customer token is read in open development mode too: it says which customer SelfService acts on.
        var credential = header.AsSpan(Bearer.Length).Trim();
        if (customerTokens.LooksLikeToken(credential))
        {
            return Task.FromResult(customerTokens.Authenticate(credential) is { } customer
                ? AuthenticateResult.Success(new AuthenticationTicket(customer, SchemeName))
                : AuthenticateResult.Fail("invalid or expired customer token"));
        }

        if (ring.IsOpen)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(ring.Authenticate(credential) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("unknown API key"));
    }
}
