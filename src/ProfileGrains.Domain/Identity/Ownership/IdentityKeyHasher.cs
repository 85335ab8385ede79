using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// Turns a normalized identifier into its <see cref="IdentityKey"/>: HMAC-SHA256 under the deployment's secret, cut to
/// 128 bits (a collision among a billion identifiers has odds around 10^-21). The same secret must be used by every
/// silo and kept for the life of the data: a new secret makes every stored key unreachable.
/// </summary>
public sealed class IdentityKeyHasher
{
    public const int MinSecretLength = 16;

    private const int StackLimit = 512;

    private readonly byte[] _secret;

    // Keying HMAC is most of its cost for short input: each thread keeps one keyed instance per hasher and reuses it.
    [ThreadStatic]
    private static (IdentityKeyHasher Owner, IncrementalHash Hmac)? t_keyed;

    public IdentityKeyHasher(string secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength)
        {
            throw new ArgumentException($"the identity key secret must be at least {MinSecretLength} characters", nameof(secret));
        }

        _secret = Encoding.UTF8.GetBytes(secret);
    }

    private IncrementalHash KeyedHmac()
    {
        if (t_keyed is { } keyed && ReferenceEquals(keyed.Owner, this))
        {
            return keyed.Hmac;
        }

        t_keyed?.Hmac.Dispose();
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        t_keyed = (this, hmac);
        return hmac;
    }

    public IdentityKey KeyOf(CustomerIdentifier identifier) => Hash(CustomerIdentifier.Prefix(identifier.Type), identifier.Value);

    /// <summary>An erased customer's id as it may be remembered: keyed, so the record of an erasure names nobody.</summary>
    public IdentityKey KeyOfErasedCustomer(string customerId) => Hash("erased-customer", customerId);

    private IdentityKey Hash(string prefix, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(prefix.Length + 1 + value.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(prefix, buffer);
            buffer[written++] = (byte)':';
            written += Encoding.UTF8.GetBytes(value, buffer[written..]);
            Span<byte> digest = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var hmac = KeyedHmac();
            hmac.AppendData(buffer[..written]);
            hmac.GetHashAndReset(digest);
            return IdentityKey.FromBytes(digest[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
