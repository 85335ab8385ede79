using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ProfileGrains.Domain;

/// <summary>Reads what <see cref="CompactWriter"/> wrote, in the same order.</summary>
internal ref struct CompactReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; private set; }

    public byte Byte() => _bytes[Position++];

    public long Int64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_bytes[Position..]);
        Position += 8;
        return value;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = _bytes[Position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    public int Int()
    {
        var zigzag = (uint)Varint();
        return (int)(zigzag >> 1) ^ -(int)(zigzag & 1);
    }

    public decimal Decimal()
    {
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(_bytes[(Position + (i * 4))..]);
        }

        Position += 16;
        return new decimal(bits);
    }

    public string? String()
    {
        if (!StringBytes(out var bytes, out var utf16))
        {
            return null;
        }

        return utf16 ? new string(MemoryMarshal.Cast<byte, char>(bytes)) : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Whether the next string equals <paramref name="utf8"/> (the UTF-8 of a well-formed string), without decoding it.</summary>
    public bool StringEquals(ReadOnlySpan<byte> utf8) => StringBytes(out var bytes, out var utf16) && !utf16 && bytes.SequenceEqual(utf8);

    public void SkipString() => StringBytes(out _, out _);

    private bool StringBytes(out ReadOnlySpan<byte> bytes, out bool utf16)
    {
        var header = Varint();
        if (header == 0)
        {
            bytes = default;
            utf16 = false;
            return false;
        }

        var length = (int)((header - 1) >> 1);
        bytes = _bytes.Slice(Position, length);
        utf16 = ((header - 1) & 1) == 1;
        Position += length;
        return true;
    }
}
