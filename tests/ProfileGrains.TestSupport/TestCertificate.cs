using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProfileGrains.TestSupport;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made once per test run and written as PEM files, configured
/// the way an operator would: Kestrel:Certificates:Default:Path and KeyPath.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<(X509Certificate2 Public, string CertificatePath, string KeyPath)> Files = new(Create);

    /// <summary>The certificate without its private key: what a client is given to trust.</summary>
    public static X509Certificate2 Public => Files.Value.Public;

    public static string CertificatePath => Files.Value.CertificatePath;

    public static IEnumerable<string> KestrelArguments =>
    [
        $"--Kestrel:Certificates:Default:Path={Files.Value.CertificatePath}",
        $"--Kestrel:Certificates:Default:KeyPath={Files.Value.KeyPath}",
    ];

    private static (X509Certificate2, string, string) Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=profilegrains-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));

        var directory = Directory.CreateTempSubdirectory("profilegrains-tls-").FullName;
        var certificatePath = Path.Combine(directory, "engine.crt");
        var keyPath = Path.Combine(directory, "engine.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (X509CertificateLoader.LoadCertificate(certificate.RawData), certificatePath, keyPath);
    }
}
