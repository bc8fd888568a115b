using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Single-precision exp, sigmoid and tanh on 256-bit vectors for the cells' gate math. The runtime's
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
    public static Vector256<float> Exp(Vector256<float> x)
    {
        // Clamp with the input as second operand so a NaN lane stays NaN.
        x = Vector256.MaxNative(Vector256.Create(-MaxLog), Vector256.MinNative(Vector256.Create(MaxLog), x));
        Vector256<float> n = Vector256.Round(x * Log2E);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> p = Vector256.Create(1.9875691500E-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073E-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894E-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459E-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201E-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        // 2^n built in the exponent field: n is in [-127, 127] after the clamp (a zero field gives 0 for n = -127).
        Vector256<int> exponent = (Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23;
        return p * exponent.AsSingle();
    }

    /// <summary>1 / (1 + e^-x) for each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary>
    /// tanh(x) for each lane: x*P(x^2)/Q(x^2) with x clamped to [-9, 9] (tanh(9) is 3e-8 below 1), P of degree 6 and
    /// Q of degree 3, fitted for the least worst relative error (7e-9 in exact arithmetic; float evaluation
    /// brings it to about 5 ulp near +-1, 3e-7 absolute). No exp and no branch select, so about half the time of
    /// <c>1 - 2/(exp(2x) + 1)</c>. The result is clamped to [-1, 1].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        // Clamps with the input as second operand, so a NaN lane stays NaN.
        x = Vector256.MaxNative(Vector256.Create(-TanhClamp), Vector256.MinNative(Vector256.Create(TanhClamp), x));
        Vector256<float> z = x * x;
        Vector256<float> p = Vector256.Create(-8.489004E-14f);
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(5.2780613E-11f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(-2.0225457E-08f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1.1154365E-05f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(0.0031039617f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(0.13084015f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256<float>.One);
        Vector256<float> q = Vector256.Create(0.0002546153f);
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(0.0244952f));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(0.4641734f));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256<float>.One);
        Vector256<float> t = x * p / q;
        return Vector256.MaxNative(Vector256.Create(-1f), Vector256.MinNative(Vector256<float>.One, t));
    }

    /// <summary>Sigmoid of one value through the vector lane arithmetic.</summary>
    public static float Sigmoid(float x) => Sigmoid(Vector256.Create(x)).ToScalar();

    /// <summary>Tanh of one value through the vector lane arithmetic.</summary>
    public static float Tanh(float x) => Tanh(Vector256.Create(x)).ToScalar();

    /// <summary>y = sigmoid(x), element-wise (y may be x).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Apply<SigmoidFunction>(x, y);

    /// <summary>y = tanh(x), element-wise (y may be x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Apply<TanhFunction>(x, y);

    /// <summary>y = f(x) a vector at a time; the tail one element at a time through the same lanes.</summary>
    private static void Apply<TFunction>(ReadOnlySpan<float> x, Span<float> y) where TFunction : IVectorFunction
    {
        CheckLengths(x, y);
        int i = 0, width = Vector256<float>.Count;
        for (; i <= x.Length - width; i += width) TFunction.Invoke(Vector256.Create(x.Slice(i, width))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = TFunction.Invoke(Vector256.Create(x[i])).ToScalar();
    }

    private interface IVectorFunction
    {
        static abstract Vector256<float> Invoke(Vector256<float> x);
    }

    private readonly struct SigmoidFunction : IVectorFunction
    {
        public static Vector256<float> Invoke(Vector256<float> x) => Sigmoid(x);
    }

    private readonly struct TanhFunction : IVectorFunction
    {
        public static Vector256<float> Invoke(Vector256<float> x) => Tanh(x);
    }

    private static void CheckLengths(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException($"The destination holds {y.Length} values; the source holds {x.Length}.", nameof(y));
    }
}
