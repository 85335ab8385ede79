using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace ProfileGrains.Protos;

/// <summary>
/// What a client needs to call a secured engine: the API key sent as `authorization: Bearer &lt;key&gt;`, and, for an
/// engine whose certificate no system root vouches for (a self-signed one), that certificate to trust. Taken from the
/// environment, never from a command-line argument, which other users of the machine can read.
/// </summary>
public sealed class EngineCredentials
{
    public const string ApiKeyVariable = "PROFILEGRAINS_API_KEY";

    /// <summary>Path of a PEM certificate trusted as a root for the engine's TLS certificate.</summary>
    public const string TrustedCertificateVariable = "PROFILEGRAINS_TLS_CA";

    public string? ApiKey { get; init; }

    public X509Certificate2? TrustedCertificate { get; init; }

    public static EngineCredentials FromEnvironment() => new()
    {
        ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null,
        TrustedCertificate = Environment.GetEnvironmentVariable(TrustedCertificateVariable) is { Length: > 0 } path
            ? X509Certificate2.CreateFromPem(File.ReadAllText(path))
            : null,
    };

    /// <summary>A channel to <paramref name="address"/> (http:// for h2c, https:// for TLS) carrying these credentials.</summary>
    public GrpcChannel OpenChannel(Uri address, GrpcChannelOptions? options = null, SocketsHttpHandler? handler = null)
    {
        options ??= new GrpcChannelOptions();
        handler ??= new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (TrustedCertificate is { } trusted)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, trusted);
        }

        options.HttpHandler = handler;
        if (ApiKey is { } key)
        {
            var header = "Bearer " + key;
            var transport = address.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
            options.Credentials = ChannelCredentials.Create(transport, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", header);
                return Task.CompletedTask;
            }));
            // Plain h2c is for loopback (development, the load-test harness); keys cross networks over https only.
            options.UnsafeUseInsecureChannelCallCredentials = address.Scheme == Uri.UriSchemeHttp;
        }

        return GrpcChannel.ForAddress(address, options);
    }

    /// <summary>Valid for the system's roots, or chains to the trusted certificate; the host name must match either way.</summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 trusted)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var presented = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }
}
