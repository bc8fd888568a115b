using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// The lane arithmetic the gate math is written in, for one vector width: code generic over an implementation
/// (<see cref="Lanes256"/>, <see cref="Lanes512"/>) is compiled once per width with every call inlined, so the same
/// sequence of operations runs 8 or 16 lanes at a time and each lane gets the same bits at either width.
/// </summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal interface ILaneOps<TVector> where TVector : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs on vector hardware here.</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TVector Create(float value);

    /// <summary>a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a - b.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>-a.</summary>
    static abstract TVector Negate(TVector a);

    /// <summary>a * b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a / b.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>a * b + c, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The hardware minimum (the second operand when either is NaN).</summary>
    static abstract TVector MinNative(TVector a, TVector b);

    /// <summary>The hardware maximum (the second operand when either is NaN).</summary>
    static abstract TVector MaxNative(TVector a, TVector b);

    /// <summary>Rounds to the nearest integer (ties to even).</summary>
    static abstract TVector Round(TVector x);

    /// <summary>2^n for whole-valued lanes n in [-127, 127], built in the exponent field (n = -127 gives 0).</summary>
    static abstract TVector Pow2(TVector n);

    /// <summary>The first <paramref name="count"/> values (<see cref="Count"/>, or 1: the value broadcast to every lane).</summary>
    static abstract TVector Load(ReadOnlySpan<float> source, int count);

    /// <summary>Writes the first <paramref name="count"/> lanes (<see cref="Count"/>, or 1).</summary>
    static abstract void Store(TVector value, Span<float> destination, int count);
}

/// <summary><see cref="ILaneOps{TVector}"/> on 256-bit vectors (AVX2; the portable fallback elsewhere).</summary>
internal readonly struct Lanes256 : ILaneOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Create(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Negate(Vector256<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> x) => Vector256.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Pow2(Vector256<float> n) => ((Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> source, int count) =>
        count == Vector256<float>.Count ? Vector256.Create(source.Slice(0, count)) : Vector256.Create(source[0]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, Span<float> destination, int count)
    {
        if (count == Vector256<float>.Count) value.CopyTo(destination);
        else destination[0] = value.ToScalar();
    }
}

/// <summary><see cref="ILaneOps{TVector}"/> on 512-bit vectors (AVX-512): twice the lanes per instruction of <see cref="Lanes256"/>, same bits.</summary>
internal readonly struct Lanes512 : ILaneOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Create(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Negate(Vector512<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> x) => Vector512.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Pow2(Vector512<float> n) => ((Vector512.ConvertToInt32Native(n) + Vector512.Create(127)) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ReadOnlySpan<float> source, int count) =>
        count == Vector512<float>.Count ? Vector512.Create(source.Slice(0, count)) : Vector512.Create(source[0]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, Span<float> destination, int count)
    {
        if (count == Vector512<float>.Count) value.CopyTo(destination);
        else destination[0] = value.ToScalar();
    }
}
