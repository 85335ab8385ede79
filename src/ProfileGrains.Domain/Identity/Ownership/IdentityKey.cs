namespace ProfileGrains.Domain;

/// <summary>
/// An identifier as the identity shards know it: a keyed 128-bit hash of its normalized form
/// (<see cref="IdentityKeyHasher"/>). Without the deployment's secret it cannot be turned back into an email or a
/// phone number, so the shards, their storage rows and the silo's cache hold no personal data.
/// </summary>
[GenerateSerializer, Immutable, Alias("pg.IdentityKey")]
public readonly record struct IdentityKey([property: Id(0)] ulong High, [property: Id(1)] ulong Low)
{
    /// <summary>The shard this key lives in, out of <paramref name="shardCount"/>.</summary>
    public int Shard(int shardCount) => (int)(Low % (ulong)shardCount);

    public byte[] ToBytes()
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), Low);
        return bytes;
    }

    public static IdentityKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 16
            ? new IdentityKey(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]))
            : throw new ArgumentException($"an identity key is 16 bytes; got {bytes.Length}", nameof(bytes));

    public override string ToString() => $"{High:x16}{Low:x16}";

    /// <summary>Reads the 32 hexadecimal digits <see cref="ToString"/> writes (as operators see keys listed).</summary>
    public static bool TryParse(string? text, out IdentityKey key)
    {
        key = default;
        if (text is not { Length: 32 }
            || !ulong.TryParse(text.AsSpan(0, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var high)
            || !ulong.TryParse(text.AsSpan(16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        key = new IdentityKey(high, low);
        return true;
    }
}
