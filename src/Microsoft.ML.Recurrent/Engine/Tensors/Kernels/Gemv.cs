using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>Matrix-vector product y (+)= M x over the rows of a row-major M, four rows at a time with 256-bit accumulators.</summary>
internal static class Gemv
{
    /// <summary>y[n] (+)= M[n, k] * x[k] (M row-major with row stride <paramref name="ldm"/>).</summary>
    public static void Rows(int n, int k, ReadOnlySpan<float> m, int ldm, ReadOnlySpan<float> x, Span<float> y, bool accumulate)
    {
        int width = Vector256<float>.Count, j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ReadOnlySpan<float> m0 = m.Slice(j * ldm, k), m1 = m.Slice((j + 1) * ldm, k), m2 = m.Slice((j + 2) * ldm, k), m3 = m.Slice((j + 3) * ldm, k);
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            int p = 0;
            for (; p + width <= k; p += width)
            {
                Vector256<float> v = Vector256.Create(x.Slice(p, width));
                s0 = Vector256.FusedMultiplyAdd(Vector256.Create(m0.Slice(p, width)), v, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Create(m1.Slice(p, width)), v, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Create(m2.Slice(p, width)), v, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Create(m3.Slice(p, width)), v, s3);
            }
            float d0 = Vector256.Sum(s0), d1 = Vector256.Sum(s1), d2 = Vector256.Sum(s2), d3 = Vector256.Sum(s3);
            for (; p < k; p++)
            {
                d0 += m0[p] * x[p]; d1 += m1[p] * x[p]; d2 += m2[p] * x[p]; d3 += m3[p] * x[p];
            }
            Write(y, j, d0, accumulate); Write(y, j + 1, d1, accumulate); Write(y, j + 2, d2, accumulate); Write(y, j + 3, d3, accumulate);
        }
        for (; j < n; j++) Write(y, j, System.Numerics.Tensors.TensorPrimitives.Dot(m.Slice(j * ldm, k), x), accumulate);
    }

    private static void Write(Span<float> y, int j, float value, bool accumulate) => y[j] = accumulate ? y[j] + value : value;
}
