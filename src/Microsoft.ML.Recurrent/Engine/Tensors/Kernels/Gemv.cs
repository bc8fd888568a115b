using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

/// <summary>
/// Matrix-vector product y (+)= M x over the rows of a row-major M, four rows at a time with 256-bit
/// accumulators and two accumulators per row (batch-1 recurrent steps: bound by reading M from cache).
/// </summary>
internal static unsafe class Gemv
{
    /// <summary>y[n] (+)= M[n, k] * x[k] (M row-major with row stride <paramref name="ldm"/>).</summary>
    public static void Rows(int n, int k, ReadOnlySpan<float> m, int ldm, ReadOnlySpan<float> x, Span<float> y, bool accumulate)
    {
        if (n == 0) return;
        if (m.Length < (n - 1) * ldm + k || x.Length < k || y.Length < n) throw new ArgumentException("Gemv operands are smaller than their sizes.");
        fixed (float* pm = m, px = x, py = y)
        {
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                float* m0 = pm + (long)j * ldm, m1 = m0 + ldm, m2 = m1 + ldm, m3 = m2 + ldm;
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
                int p = 0;
                for (; p + 16 <= k; p += 16)
                {
                    Vector256<float> v = Vector256.Load(px + p), w = Vector256.Load(px + p + 8);
                    s0 = Vector256.FusedMultiplyAdd(Vector256.Load(m0 + p), v, s0); t0 = Vector256.FusedMultiplyAdd(Vector256.Load(m0 + p + 8), w, t0);
                    s1 = Vector256.FusedMultiplyAdd(Vector256.Load(m1 + p), v, s1); t1 = Vector256.FusedMultiplyAdd(Vector256.Load(m1 + p + 8), w, t1);
                    s2 = Vector256.FusedMultiplyAdd(Vector256.Load(m2 + p), v, s2); t2 = Vector256.FusedMultiplyAdd(Vector256.Load(m2 + p + 8), w, t2);
                    s3 = Vector256.FusedMultiplyAdd(Vector256.Load(m3 + p), v, s3); t3 = Vector256.FusedMultiplyAdd(Vector256.Load(m3 + p + 8), w, t3);
                }
                for (; p + 8 <= k; p += 8)
                {
                    Vector256<float> v = Vector256.Load(px + p);
                    s0 = Vector256.FusedMultiplyAdd(Vector256.Load(m0 + p), v, s0);
                    s1 = Vector256.FusedMultiplyAdd(Vector256.Load(m1 + p), v, s1);
                    s2 = Vector256.FusedMultiplyAdd(Vector256.Load(m2 + p), v, s2);
                    s3 = Vector256.FusedMultiplyAdd(Vector256.Load(m3 + p), v, s3);
                }
                float d0 = Vector256.Sum(s0 + t0), d1 = Vector256.Sum(s1 + t1), d2 = Vector256.Sum(s2 + t2), d3 = Vector256.Sum(s3 + t3);
                for (; p < k; p++)
                {
                    d0 += m0[p] * px[p]; d1 += m1[p] * px[p]; d2 += m2[p] * px[p]; d3 += m3[p] * px[p];
                }
                Write(py, j, d0, accumulate); Write(py, j + 1, d1, accumulate); Write(py, j + 2, d2, accumulate); Write(py, j + 3, d3, accumulate);
            }
            for (; j < n; j++)
                Write(py, j, System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(pm + (long)j * ldm, k), new ReadOnlySpan<float>(px, k)), accumulate);
        }
    }

    private static void Write(float* y, int j, float value, bool accumulate) => y[j] = accumulate ? y[j] + value : value;
}
