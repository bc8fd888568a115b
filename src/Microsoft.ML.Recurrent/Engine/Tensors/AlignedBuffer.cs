namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// A pinned float buffer whose first element starts a 64-byte cache line. Vector loads of packed operands then
/// never straddle two lines, and ranges that threads split at multiples of 16 floats share no line (which
/// would otherwise bounce between the cores' caches on every write).
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int LineFloats = 16;
    private float[] _array = [];
    private float* _start;

    /// <summary>Usable floats.</summary>
    public int Length { get; private set; }

    /// <summary>The first usable float (the buffer is pinned, so the address stays valid).</summary>
    public float* Pointer => _start;

    /// <summary>Makes room for at least <paramref name="size"/> floats; contents are not kept when it grows.</summary>
    public void Reserve(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size <= Length) return;
        _array = GC.AllocateArray<float>(size + LineFloats, pinned: true);
        float* first = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _array[0]);
        // Arrays are at least 4-byte aligned, so a whole number of floats reaches the next line.
        int skip = (int)((64 - ((nint)first & 63)) & 63) / sizeof(float);
        _start = first + skip;
        Length = _array.Length - skip;
    }

    /// <summary>Floats [start, start + length).</summary>
    public Span<float> AsSpan(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
            throw new ArgumentOutOfRangeException(nameof(length), $"[{start}, {start + length}) is outside the buffer's {Length} floats.");
        return new Span<float>(_start + start, length);
    }
}
