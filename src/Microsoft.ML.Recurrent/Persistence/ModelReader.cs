using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.Recurrent.Persistence;

/// <summary>
/// Reads the model format from memory, checking every count against the bytes that remain, so a
/// corrupt or hostile file fails with <see cref="InvalidDataException"/> and never allocates more
/// than its own size.
/// </summary>
internal sealed class ModelReader
{
    private readonly byte[] _data;
    private readonly int _end;
    private readonly string _what;

    /// <summary>Reads <paramref name="data"/>[<paramref name="start"/>, <paramref name="end"/>); <paramref name="what"/> names it in errors.</summary>
    public ModelReader(byte[] data, int start, int end, string what)
    {
        _data = data;
        Position = start;
        _end = end;
        _what = what;
    }

    /// <summary>Offset of the next byte.</summary>
    public int Position { get; private set; }

    /// <summary>Bytes left.</summary>
    public int Remaining => _end - Position;

    public byte ReadByte() => Take(1)[0];

    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        byte b => throw Corrupt($"a flag byte is {b}, expected 0 or 1"),
    };

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public float ReadSingle() => BitConverter.Int32BitsToSingle(ReadInt32());

    /// <summary>A one-byte code below <paramref name="count"/> (an enum value).</summary>
    public int ReadCode(int count, string name)
    {
        byte value = ReadByte();
        if (value >= count) throw Corrupt($"{name} is {value}, not one of the {count} known values");
        return value;
    }

    /// <summary>An int in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int ReadInt32(int min, int max, string name)
    {
        int value = ReadInt32();
        if (value < min || value > max) throw Corrupt($"{name} is {value}, outside [{min}, {max}]");
        return value;
    }

    /// <summary>A finite float.</summary>
    public float ReadFiniteSingle(string name)
    {
        float value = ReadSingle();
        if (!float.IsFinite(value)) throw Corrupt($"{name} is {value}");
        return value;
    }

    /// <summary>A UTF-8 string of at most <paramref name="maxBytes"/> bytes.</summary>
    public string ReadString(int maxBytes = 1 << 16)
    {
        int length = ReadInt32(0, Math.Min(maxBytes, Remaining), "a string length");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt("a string is not valid UTF-8");
        }
    }

    /// <summary>Exactly <c>target.Length</c> finite floats, preceded by their count.</summary>
    public void ReadSingles(Span<float> target, string name)
    {
        int count = ReadInt32(0, Remaining / 4, $"the value count of {name}");
        if (count != target.Length) throw Corrupt($"{name} holds {count} values, expected {target.Length}");
        ReadOnlySpan<byte> bytes = Take(4 * count);
        for (int i = 0; i < count; i++)
        {
            float v = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * i, 4)));
            if (!float.IsFinite(v)) throw Corrupt($"{name}[{i}] is {v}");
            target[i] = v;
        }
    }

    /// <summary>The next <paramref name="count"/> bytes.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw Corrupt($"it ends {count - Remaining} bytes early (truncated at byte {_end})");
        ReadOnlySpan<byte> span = _data.AsSpan(Position, count);
        Position += count;
        return span;
    }

    /// <summary>Throws unless every byte was read.</summary>
    public void ExpectEnd()
    {
        if (Remaining != 0) throw Corrupt($"{Remaining} unexpected bytes follow its end");
    }

    /// <summary>An error naming what is being read and where.</summary>
    public InvalidDataException Corrupt(string problem) => new($"The {_what} is corrupt: {problem} (at byte {Position}).");
}
