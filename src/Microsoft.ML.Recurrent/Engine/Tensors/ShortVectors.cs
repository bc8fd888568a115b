using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Float64 kernels for the short rows of the CRF's dynamic programs (K tags, often 10-50), where a
/// <c>TensorPrimitives</c> call costs as much as the arithmetic: plain <see cref="Vector{T}"/> loops the JIT
/// inlines, with a scalar tail. Each output element adds its terms in the same order as the scalar code.
/// </summary>
internal static class ShortVectors
{
    /// <summary>y += s * x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ReadOnlySpan<double> x, double s, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            ref double rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y);
            var vs = new Vector<double>(s);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                ref double yi = ref Unsafe.Add(ref ry, i);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref yi) + vs * Vector.LoadUnsafe(ref Unsafe.Add(ref rx, i)), ref yi);
            }
        }
        for (; i < n; i++) y[i] += s * x[i];
    }

    /// <summary>sum_i x[i] * y[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            ref double rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y);
            Vector<double> acc = Vector<double>.Zero;
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
                acc += Vector.LoadUnsafe(ref Unsafe.Add(ref rx, i)) * Vector.LoadUnsafe(ref Unsafe.Add(ref ry, i));
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }
}
