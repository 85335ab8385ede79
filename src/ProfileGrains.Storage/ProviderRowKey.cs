using System.Text;

namespace ProfileGrains.Storage;

/// <summary>
/// How the Orleans ADO.NET provider keys a grain's row in <c>orleansstorage</c>: a key that parses as a GUID (customer ids
/// do) or an integer is stored as two numbers and an optional extension, any other key as its string; the row is found
/// through a hash of the same parts. Reproduced so a row the provider wrote can be read by another statement; the
/// stored-format tests write with the provider and read with this.
/// </summary>
internal readonly record struct ProviderRowKey(long N0, long N1, string? Extension, byte[] HashBytes)
{
    public static ProviderRowKey Of(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var extension))
        {
            var bytes = guid.ToByteArray();
            return new(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), extension, HashInput(bytes, extension));
        }

        if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            return new(0, integer, extension, HashInput(BitConverter.GetBytes(integer), extension));
        }

        var key = grainId.Key.ToString()!;
        return new(0, 0, key, HashInput(Encoding.UTF8.GetBytes(key), null));
    }

    // The numeric key's bytes followed by the extension's UTF-8, reversed on a little-endian machine.
    private static byte[] HashInput(byte[] key, string? extension)
    {
        var bytes = extension is null ? key : [.. key, .. Encoding.UTF8.GetBytes(extension)];
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }
}
