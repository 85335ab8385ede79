using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace ProfileGrains.Domain;

/// <summary>
/// Appends values in a compact binary form to a growable buffer. Strings go as UTF-8 when they are well formed and as
/// UTF-16 otherwise (a lone surrogate survives exactly), so whatever was written reads back equal.
/// </summary>
internal sealed class CompactWriter
{
    private byte[] _buffer = new byte[512];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Reset() => Length = 0;

    public void Byte(byte value) => Take(1)[0] = value;

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void Varint(ulong value)
    {
        var span = Take(10);
        var used = 0;
        while (value >= 0x80)
        {
            span[used++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[used++] = (byte)value;
        Length -= 10 - used;
    }

    public void Int(int value) => Varint((ulong)(uint)((value << 1) ^ (value >> 31)));

    public void Decimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var span = Take(16);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], bits[i]);
        }
    }

    /// <summary>Header: 0 for null, else (byte count × 2 + 1 when UTF-16) + 1.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Varint(0);
            return;
        }

        var maxUtf8 = Encoding.UTF8.GetMaxByteCount(value.Length);
        var scratch = ArrayPool<byte>.Shared.Rent(maxUtf8);
        try
        {
            if (Utf8.FromUtf16(value, scratch, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                Varint(((ulong)written << 1) + 1);
                scratch.AsSpan(0, written).CopyTo(Take(written));
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        var utf16 = MemoryMarshal.AsBytes(value.AsSpan());
        Varint(((ulong)utf16.Length << 1 | 1) + 1);
        utf16.CopyTo(Take(utf16.Length));
    }

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
