using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>Little-endian primitives for the model format (the counterpart of <see cref="ModelReader"/>).</summary>
internal sealed class ModelWriter
{
    private readonly MemoryStream _stream = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _stream.ToArray();

    public void WriteByte(byte value) => _stream.WriteByte(value);

    public void WriteBoolean(bool value) => _stream.WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteDouble(double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteSingle(float value) => WriteInt32(BitConverter.SingleToInt32Bits(value));

    /// <summary>UTF-8 with a 32-bit byte count.</summary>
    public void WriteString(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        WriteInt32(bytes.Length);
        _stream.Write(bytes);
    }

    /// <summary>A 32-bit count followed by the floats.</summary>
    public void WriteSingles(ReadOnlySpan<float> values)
    {
        WriteInt32(values.Length);
        foreach (float v in values) WriteSingle(v);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);
}
