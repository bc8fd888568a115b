using System.Numerics.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;

namespace Microsoft.ML.Recurrent.Engine.Tensors;

/// <summary>
/// Row-major single-precision matrix products. Every routine computes
/// <c>C = op(A) * op(B)</c>, or adds it to <c>C</c> when <c>accumulate</c> is true.
/// Parameter order everywhere: sizes (m, n, k), then A with its row stride, B with its row stride,
/// then C with its row stride.
/// </summary>
/// <remarks>
/// Dims legend: C is [m, n]; the shared dimension is k. Products run on the packed, register-blocked,
/// multi-threaded kernel (<see cref="PackedGemm"/>); tiny ones on the plain row-vectorized path.
/// </remarks>
public static unsafe class Gemm
{
    private const long SmallProduct = 8 * 8 * 8;
    private const int FewRows = 2;

    /// <summary>C[m,n] (+)= A[m,k] * B[k,n].</summary>
    public static void NN(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        CheckSizes(m, n, k, a.Length, (m - 1) * lda + k, b.Length, (k - 1) * ldb + n, c.Length, (m - 1) * ldc + n);
        if ((long)m * n * k < SmallProduct) { ReferenceGemm.NN(m, n, k, a, lda, b, ldb, c, ldc, accumulate); return; }
        fixed (float* pa = a, pb = b, pc = c)
            PackedGemm.Multiply(m, n, k, new MatrixOperand(pa, lda, 1), new MatrixOperand(pb, ldb, 1), pc, ldc, accumulate);
    }

    /// <summary>C[m,n] (+)= A[m,k] * B[n,k]^T, plus <paramref name="rowBias"/>[n] on every row when it is given.</summary>
    public static void NT(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, ReadOnlySpan<float> rowBias = default)
    {
        CheckSizes(m, n, k, a.Length, (m - 1) * lda + k, b.Length, (n - 1) * ldb + k, c.Length, (m - 1) * ldc + n);
        if (!rowBias.IsEmpty && rowBias.Length < n) throw new ArgumentException($"The row bias holds {rowBias.Length} floats but C has {n} columns.", nameof(rowBias));
        if ((long)m * n * k < SmallProduct || m <= FewRows)
        {
            if ((long)m * n * k < SmallProduct) ReferenceGemm.NT(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            // A few rows (batch-1 inference): matrix-vector products over B's rows; packing B would cost more than it saves.
            else for (int i = 0; i < m; i++) Gemv.Rows(n, k, b, ldb, a.Slice(i * lda, k), c.Slice(i * ldc, n), accumulate);
            if (!rowBias.IsEmpty) AddRowVector(m, n, rowBias, c, ldc);
            return;
        }
        // The bias rides in the kernel's epilogue: no second pass over C.
        fixed (float* pa = a, pb = b, pc = c, bias = rowBias)
            PackedGemm.Multiply(m, n, k, new MatrixOperand(pa, lda, 1), new MatrixOperand(pb, 1, ldb), pc, ldc, accumulate, bias);
    }

    /// <summary>C[m,n] (+)= A[k,m]^T * B[k,n].</summary>
    public static void TN(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        CheckSizes(m, n, k, a.Length, (k - 1) * lda + m, b.Length, (k - 1) * ldb + n, c.Length, (m - 1) * ldc + n);
        if ((long)m * n * k < SmallProduct) { ReferenceGemm.TN(m, n, k, a, lda, b, ldb, c, ldc, accumulate); return; }
        fixed (float* pa = a, pb = b, pc = c)
            PackedGemm.Multiply(m, n, k, new MatrixOperand(pa, 1, lda), new MatrixOperand(pb, ldb, 1), pc, ldc, accumulate);
    }
    /// <summary>Adds the column sums of A[m,n] to <paramref name="sums"/>[n] (bias gradients).</summary>
    public static void AddColumnSums(int m, int n, ReadOnlySpan<float> a, int lda, Span<float> sums)
    {
        if (m < 0 || n < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative (m={m}, n={n}).");
        if (m == 0 || n == 0) return;
        if (a.Length < (long)(m - 1) * lda + n) throw new ArgumentException($"A holds {a.Length} floats but [{m}, {n}] with row stride {lda} needs {(long)(m - 1) * lda + n}.", nameof(a));
        if (sums.Length < n) throw new ArgumentException($"The sums hold {sums.Length} floats but A has {n} columns.", nameof(sums));
        fixed (float* pa = a, ps = sums) ColumnSums.Add(m, n, pa, lda, ps);
    }

    /// <summary>Adds the vector <paramref name="row"/>[n] to every row of C[m,n] (bias broadcast).</summary>
    private static void AddRowVector(int m, int n, ReadOnlySpan<float> row, Span<float> c, int ldc)
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
