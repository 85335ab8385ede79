using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>
/// The national do-not-call list (Bloctel in France): phone numbers that may not be called for marketing without the
/// person's consent. Loaded as SHA-256 digests of E.164 numbers, so the engine never holds the list in clear; kept as
/// the first 64 bits of each digest (a false match among ten million numbers has odds around 10^-12).
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.DoNotCallList")]
public sealed record DoNotCallList(
    [property: Id(0)] long Version,
    [property: Id(1)] HashSet<ulong> Numbers)
{
    public static readonly DoNotCallList Empty = new(0, []);

    public int Count => Numbers.Count;

    public bool Contains(string e164) => Numbers.Count > 0 && Numbers.Contains(Digest(e164));

    /// <summary>The first 64 bits of SHA-256 over the E.164 number's UTF-8 bytes ("+33612345678").</summary>
    public static ulong Digest(string e164) => FromSha256(SHA256.HashData(Encoding.UTF8.GetBytes(e164)));

    public static ulong FromSha256(ReadOnlySpan<byte> sha256) => BinaryPrimitives.ReadUInt64BigEndian(sha256);
}
