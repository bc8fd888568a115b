using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Single-precision exp, sigmoid and tanh on vectors for the cells' gate math, written once over
/// <see cref="ILaneOps{TVector}"/> and run on 512-bit vectors where AVX-512 is there (same bits as 256). The runtime's
/// vector exp works in double precision; exp uses the Cephes float approximation (relative error below
/// 2e-7 over the whole range) and tanh a rational approximation fitted for this library. Both take about
/// half the time of <c>TensorPrimitives</c> or less here (sigmoid 0.6-0.8 against 1.7-2.1 ns an element,
/// tanh 0.4-0.5 against 2.6). NaN propagates.
/// Tails shorter than a vector go through the same lane arithmetic, so every element of a span gets
/// the same result it would get at any other position.
/// </summary>
internal static class Activation
{
    private const float MaxLog = 88f, Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
    private const float TanhClamp = 9f;

    /// <summary>e^x for each lane, with x clamped to [-88, 88] (so 2^n stays a normal float; e^-88 comes out as 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => Exp<Vector256<float>, Lanes256>(x);

    /// <summary>1 / (1 + e^-x) for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Sigmoid<Vector256<float>, Lanes256>(x);

    /// <summary>tanh(x) for each lane (see <see cref="Tanh{TVector, TLanes}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) => Tanh<Vector256<float>, Lanes256>(x);

    /// <summary>e^x for each lane of any width (same bits at every width), x clamped to [-88, 88].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Exp<TVector, TLanes>(TVector x) where TVector : struct where TLanes : ILaneOps<TVector>
    {
        // Clamp with the input as second operand so a NaN lane stays NaN.
        x = TLanes.MaxNative(TLanes.Create(-MaxLog), TLanes.MinNative(TLanes.Create(MaxLog), x));
        TVector n = TLanes.Round(TLanes.Multiply(x, TLanes.Create(Log2E)));
        TVector r = TLanes.MultiplyAdd(n, TLanes.Create(-Ln2High), x);
        r = TLanes.MultiplyAdd(n, TLanes.Create(-Ln2Low), r);
        TVector p = TLanes.Create(1.9875691500E-4f);
        p = TLanes.MultiplyAdd(p, r, TLanes.Create(1.3981999507E-3f));
        p = TLanes.MultiplyAdd(p, r, TLanes.Create(8.3334519073E-3f));
        p = TLanes.MultiplyAdd(p, r, TLanes.Create(4.1665795894E-2f));
        p = TLanes.MultiplyAdd(p, r, TLanes.Create(1.6666665459E-1f));
        p = TLanes.MultiplyAdd(p, r, TLanes.Create(5.0000001201E-1f));
        p = TLanes.Add(TLanes.MultiplyAdd(p, TLanes.Multiply(r, r), r), TLanes.Create(1f));
        // n is in [-127, 127] after the clamp.
        return TLanes.Multiply(p, TLanes.Pow2(n));
    }

    /// <summary>1 / (1 + e^-x) for each lane of any width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Sigmoid<TVector, TLanes>(TVector x) where TVector : struct where TLanes : ILaneOps<TVector> =>
        TLanes.Divide(TLanes.Create(1f), TLanes.Add(TLanes.Create(1f), Exp<TVector, TLanes>(TLanes.Negate(x))));

    /// <summary>
    /// tanh(x) for each lane of any width: x*P(x^2)/Q(x^2) with x clamped to [-9, 9] (tanh(9) is 3e-8 below 1), P of degree 6 and
    /// Q of degree 3, fitted for the least worst relative error (7e-9 in exact arithmetic; float evaluation
    /// brings it to about 5 ulp near +-1, 3e-7 absolute). No exp and no branch select, so about half the time of
    /// <c>1 - 2/(exp(2x) + 1)</c>. The result is clamped to [-1, 1].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Tanh<TVector, TLanes>(TVector x) where TVector : struct where TLanes : ILaneOps<TVector>
    {
        // Clamps with the input as second operand, so a NaN lane stays NaN.
        x = TLanes.MaxNative(TLanes.Create(-TanhClamp), TLanes.MinNative(TLanes.Create(TanhClamp), x));
        TVector z = TLanes.Multiply(x, x);
        TVector p = TLanes.Create(-8.489004E-14f);
        p = TLanes.MultiplyAdd(p, z, TLanes.Create(5.2780613E-11f));
        p = TLanes.MultiplyAdd(p, z, TLanes.Create(-2.0225457E-08f));
        p = TLanes.MultiplyAdd(p, z, TLanes.Create(1.1154365E-05f));
        p = TLanes.MultiplyAdd(p, z, TLanes.Create(0.0031039617f));
        p = TLanes.MultiplyAdd(p, z, TLanes.Create(0.13084015f));
        p = TLanes.MultiplyAdd(p, z, TLanes.Create(1f));
        TVector q = TLanes.Create(0.0002546153f);
        q = TLanes.MultiplyAdd(q, z, TLanes.Create(0.0244952f));
        q = TLanes.MultiplyAdd(q, z, TLanes.Create(0.4641734f));
        q = TLanes.MultiplyAdd(q, z, TLanes.Create(1f));
        TVector t = TLanes.Divide(TLanes.Multiply(x, p), q);
        return TLanes.MaxNative(TLanes.Create(-1f), TLanes.MinNative(TLanes.Create(1f), t));
    }

    /// <summary>Sigmoid of one value through the vector lane arithmetic.</summary>
    public static float Sigmoid(float x) => Sigmoid(Vector256.Create(x)).ToScalar();

    /// <summary>Tanh of one value through the vector lane arithmetic.</summary>
    public static float Tanh(float x) => Tanh(Vector256.Create(x)).ToScalar();

    /// <summary>y = sigmoid(x), element-wise (y may be x).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Apply<SigmoidFunction>(x, y);

    /// <summary>y = tanh(x), element-wise (y may be x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Apply<TanhFunction>(x, y);

    /// <summary>y = f(x) 16 lanes at a time where AVX-512 runs, then 8; the tail one element at a time through the same lanes.</summary>
    private static void Apply<TFunction>(ReadOnlySpan<float> x, Span<float> y) where TFunction : IVectorFunction
    {
        CheckLengths(x, y);
        int i = 0;
        if (Lanes512.IsAccelerated)
            for (; i <= x.Length - Lanes512.Count; i += Lanes512.Count)
                TFunction.Invoke<Vector512<float>, Lanes512>(Vector512.Create(x.Slice(i, Lanes512.Count))).CopyTo(y.Slice(i));
        for (; i <= x.Length - Lanes256.Count; i += Lanes256.Count)
            TFunction.Invoke<Vector256<float>, Lanes256>(Vector256.Create(x.Slice(i, Lanes256.Count))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = TFunction.Invoke<Vector256<float>, Lanes256>(Vector256.Create(x[i])).ToScalar();
    }

    private interface IVectorFunction
    {
        static abstract TVector Invoke<TVector, TLanes>(TVector x) where TVector : struct where TLanes : ILaneOps<TVector>;
    }

    private readonly struct SigmoidFunction : IVectorFunction
    {
        public static TVector Invoke<TVector, TLanes>(TVector x) where TVector : struct where TLanes : ILaneOps<TVector> => Sigmoid<TVector, TLanes>(x);
    }

    private readonly struct TanhFunction : IVectorFunction
    {
        public static TVector Invoke<TVector, TLanes>(TVector x) where TVector : struct where TLanes : ILaneOps<TVector> => Tanh<TVector, TLanes>(x);
    }

    private static void CheckLengths(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"The destination holds {y.Length} values; the source holds {x.Length}.", nameof(y));
    }
}
