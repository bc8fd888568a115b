using System.Numerics.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Row-major single-precision matrix products. Every routine computes
/// <c>C = op(A) * op(B)</c>, or adds it to <c>C</c> when <c>accumulate</c> is true.
/// Parameter order everywhere: sizes (m, n, k), then A with its row stride, B with its row stride,
/// then C with its row stride.
/// </summary>
/// <remarks>
/// Dims legend: C is [m, n]; the shared dimension is k. This is the plain, correct path the fast
/// kernels are checked against; it vectorizes along rows with <see cref="TensorPrimitives"/>.
/// </remarks>
public static class Gemm
{
    /// <summary>C[m,n] (+)= A[m,k] * B[k,n].</summary>
    public static void NN(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        CheckSizes(m, n, k, a.Length, (m - 1) * lda + k, b.Length, (k - 1) * ldb + n, c.Length, (m - 1) * ldc + n);
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * ldc, n);
            if (!accumulate) cRow.Clear();
            ReadOnlySpan<float> aRow = a.Slice(i * lda, k);
            for (int p = 0; p < k; p++)
            {
                float s = aRow[p];
                if (s != 0f) TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), s, cRow, cRow);
            }
        }
    }

    /// <summary>C[m,n] (+)= A[m,k] * B[n,k]^T.</summary>
    public static void NT(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        CheckSizes(m, n, k, a.Length, (m - 1) * lda + k, b.Length, (n - 1) * ldb + k, c.Length, (m - 1) * ldc + n);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> aRow = a.Slice(i * lda, k);
            Span<float> cRow = c.Slice(i * ldc, n);
            for (int j = 0; j < n; j++)
            {
                float dot = TensorPrimitives.Dot(aRow, b.Slice(j * ldb, k));
                cRow[j] = accumulate ? cRow[j] + dot : dot;
            }
        }
    }

    /// <summary>C[m,n] (+)= A[k,m]^T * B[k,n].</summary>
    public static void TN(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        CheckSizes(m, n, k, a.Length, (k - 1) * lda + m, b.Length, (k - 1) * ldb + n, c.Length, (m - 1) * ldc + n);
        if (!accumulate)
            for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<float> aRow = a.Slice(p * lda, m);
            ReadOnlySpan<float> bRow = b.Slice(p * ldb, n);
            for (int i = 0; i < m; i++)
            {
                float s = aRow[i];
                if (s != 0f)
                {
                    Span<float> cRow = c.Slice(i * ldc, n);
                    TensorPrimitives.MultiplyAdd(bRow, s, cRow, cRow);
                }
            }
        }
    }

    /// <summary>Adds the column sums of A[m,n] to <paramref name="sums"/>[n] (bias gradients).</summary>
    public static void AddColumnSums(int m, int n, ReadOnlySpan<float> a, int lda, Span<float> sums)
    {
        for (int i = 0; i < m; i++) TensorPrimitives.Add(sums.Slice(0, n), a.Slice(i * lda, n), sums.Slice(0, n));
    }

    /// <summary>Adds the vector <paramref name="row"/>[n] to every row of C[m,n] (bias broadcast).</summary>
    public static void AddRowVector(int m, int n, ReadOnlySpan<float> row, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * ldc, n);
            TensorPrimitives.Add(cRow, row.Slice(0, n), cRow);
        }
    }

    private static void CheckSizes(int m, int n, int k, int aLen, int aNeed, int bLen, int bNeed, int cLen, int cNeed)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative (m={m}, n={n}, k={k}).");
        if (m == 0 || n == 0) return;
        if (k > 0 && aLen < aNeed) throw new ArgumentException($"A holds {aLen} floats but the product needs {aNeed} (m={m}, n={n}, k={k}).", "a");
        if (k > 0 && bLen < bNeed) throw new ArgumentException($"B holds {bLen} floats but the product needs {bNeed} (m={m}, n={n}, k={k}).", "b");
        if (cLen < cNeed) throw new ArgumentException($"C holds {cLen} floats but the product needs {cNeed} (m={m}, n={n}, k={k}).", "c");
    }
}
