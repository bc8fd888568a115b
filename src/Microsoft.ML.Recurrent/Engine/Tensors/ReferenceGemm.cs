using System.Numerics.Tensors;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// The plain, obviously correct matrix products (row-vectorized with <see cref="TensorPrimitives"/>)
/// that the packed kernels are tested against, and that <see cref="Gemm"/> uses for tiny products.
/// Same conventions as <see cref="Gemm"/>; sizes are checked by the caller.
/// </summary>
internal static class ReferenceGemm
{
    /// <summary>C[m,n] (+)= A[m,k] * B[k,n].</summary>
    public static void NN(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
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
    public static void NT(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
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
    public static void TN(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
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
}
