using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ProfileGrains.Host.Security;

/// <summary>
/// Short-lived tokens with which one customer reaches their own record (SelfService): <c>pgc1.&lt;customer id&gt;.&lt;expiry,
/// Unix seconds&gt;.&lt;HMAC-SHA256 of the rest under Auth:CustomerTokenSecret, base64url&gt;</c>. Stateless, so every silo
/// checks them alone; nothing in them but the pseudonymous customer id. Without a secret, in a secured engine, none is
/// issued or accepted; in open development mode a fixed development secret serves.
/// </summary>
public sealed class CustomerTokens(IOptionsMonitor<AuthOptions> options, ApiKeyRing ring, TimeProvider time)
{
    public const string Prefix = "pgc1.";
    public const string CustomerClaim = "customer_id";

    /// <summary>The principal a token authenticates as: the scope <see cref="Scopes.Self"/> and its customer, nothing else.</summary>
    public const string PrincipalName = "self-service:customer";

    public const string AuthenticationType = "CustomerToken";

    private const string DevelopmentSecret = "profilegrains-development-customer-token-secret";
    private const int MaxTokenLength = 256;

    public bool LooksLikeToken(ReadOnlySpan<char> bearer) => bearer.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Null when no secret is configured (a secured engine then has no self-service).</summary>
    public (string Token, DateTimeOffset ExpiresAt)? Issue(string customerId, TimeSpan validFor)
    {
        if (Secret() is not { } secret)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds() + (long)Math.Ceiling(validFor.TotalSeconds));
        var body = Prefix + customerId + "." + expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (body + "." + Sign(secret, body), expiresAt);
    }

    /// <summary>The principal of a valid, unexpired token, or null (forged, altered, expired, or no secret).</summary>
    public ClaimsPrincipal? Authenticate(ReadOnlySpan<char> token)
    {
        if (Secret() is not { } secret || token.Length > MaxTokenLength)
        {
            return null;
        }

        var text = token.ToString();
        var signatureAt = text.LastIndexOf('.');
        var expiryAt = signatureAt > 0 ? text.LastIndexOf('.', signatureAt - 1) : -1;
        if (expiryAt <= Prefix.Length
            || !long.TryParse(text.AsSpan(expiryAt + 1, signatureAt - expiryAt - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var body = text[..signatureAt];
        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        var given = Encoding.ASCII.GetBytes(text[(signatureAt + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given) || time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return null;
        }

        var customerId = text[Prefix.Length..expiryAt];
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, PrincipalName), new Claim(ApiKeyRing.ScopeClaim, Scopes.Self), new Claim(CustomerClaim, customerId)],
            AuthenticationType));
    }

    private string? Secret() =>
        options.CurrentValue.CustomerTokenSecret is { Length: > 0 } configured ? configured
        : ring.IsOpen ? DevelopmentSecret
        : null;

    private static string Sign(string secret, string body) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
