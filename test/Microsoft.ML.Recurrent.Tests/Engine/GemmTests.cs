using System.Runtime.Intrinsics;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tests.Engine;

[TestClass]
[DoNotParallelize]
public sealed class GemmTests
{
    private static readonly int[] Sizes = [1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 65];

    [TestMethod]
    public void AllVariantsMatchTripleLoopOverEveryTail()
    {
        var random = new Random(7);
        foreach (int m in Sizes)
            foreach (int n in Sizes)
                foreach (int k in new[] { 1, 5, 16, 19, 40 })
                {
                    float[] a = Randoms(random, m * k), b = Randoms(random, k * n), c0 = Randoms(random, m * n);
                    double[] expected = Naive(m, n, k, (i, p) => a[i * k + p], (p, j) => b[p * n + j]);
                    float[] bT = Transpose(b, k, n), aT = Transpose(a, m, k);
                    foreach (bool accumulate in new[] { false, true })
                    {
                        float[] c = (float[])c0.Clone();
                        Gemm.NN(m, n, k, a, k, b, n, c, n, accumulate);
                        AssertClose(expected, c, accumulate ? c0 : null, $"NN m={m} n={n} k={k}");
                        c = (float[])c0.Clone();
                        Gemm.NT(m, n, k, a, k, bT, k, c, n, accumulate);
                        AssertClose(expected, c, accumulate ? c0 : null, $"NT m={m} n={n} k={k}");
                        c = (float[])c0.Clone();
                        Gemm.TN(m, n, k, aT, m, b, n, c, n, accumulate);
                        AssertClose(expected, c, accumulate ? c0 : null, $"TN m={m} n={n} k={k}");
                    }
                }
    }

    [TestMethod]
    public void RowsOfShortTilesGetTheSameBitsAsInFullTiles()
    {
        // 3-4 rows run the 4 x 16 kernel and 1-2 rows the 2 x 32 one (over strip pairs, a narrow one included);
        // the same rows among 6 run the 6 x 16 kernel. k crosses a block.
        var random = new Random(21);
        const int k = 300;
        foreach (int n in new[] { 40, 50 })
        {
            float[] a = Randoms(random, 6 * k), b = Randoms(random, k * n), c0 = Randoms(random, 6 * n);
            foreach (bool accumulate in new[] { false, true })
            {
                float[] full = (float[])c0.Clone();
                Gemm.NN(6, n, k, a, k, b, n, full, n, accumulate);
                foreach (int rows in new[] { 1, 2, 4 })
                {
                    float[] part = c0[..(rows * n)];
                    Gemm.NN(rows, n, k, a, k, b, n, part, n, accumulate);
                    CollectionAssert.AreEqual(full[..(rows * n)], part, $"rows={rows} n={n} accumulate={accumulate}");
                }
            }
        }
    }

    [TestMethod]
    public unsafe void GateInterleavedBlocksYieldWholeUnitsAtTheirOriginalRows()
    {
        var random = new Random(13);
        const int gates = 4, units = 24, n = gates * units, k = 13;
        float[] m = Randoms(random, n * k), x = Randoms(random, k);
        double[] expected = Naive(n, 1, k, (i, p) => m[i * k + p], (p, j) => x[p]);
        var packed = new Microsoft.ML.Recurrent.Engine.Tensors.Kernels.PackedRows();
        packed.Pack(n, k, m, k, gates);
        Assert.AreEqual(8, packed.UnitsPerBlock);
        float[] y = new float[n];
        Array.Fill(y, float.NaN);
        fixed (float* px = x, py = y) packed.Multiply(px, py, accumulate: false, bias: null, 1, 2);
        for (int row = 0; row < n; row++)
        {
            int unit = row % units;
            if (unit is >= 8 and < 16) Assert.AreEqual(expected[row], y[row], 1e-4, $"row {row} (unit {unit} of gate {row / units})");
            else Assert.IsTrue(float.IsNaN(y[row]), $"row {row} outside block 1 was written");
        }
        packed.Pack(n, k, m, k, gates: 3);
        Assert.AreEqual(0, packed.UnitsPerBlock, "32 rows cannot hold whole units of 3 gates");
    }

    [TestMethod]
    public void RowBiasIsAddedOnceToEveryRowOnEveryPath()
    {
        var random = new Random(11);
        // Tiny (reference), two rows (matrix-vector), packed with a narrow last strip, and several k blocks.
        foreach ((int m, int n, int k) in new[] { (3, 5, 7), (2, 40, 64), (13, 37, 19), (20, 50, 600) })
        {
            float[] a = Randoms(random, m * k), bT = Randoms(random, n * k), bias = Randoms(random, n), c0 = Randoms(random, m * n);
            double[] expected = Naive(m, n, k, (i, p) => a[i * k + p], (p, j) => bT[j * k + p]);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) expected[i * n + j] += bias[j];
            foreach (bool accumulate in new[] { false, true })
            {
                float[] c = (float[])c0.Clone();
                Gemm.NT(m, n, k, a, k, bT, k, c, n, accumulate, bias);
                AssertClose(expected, c, accumulate ? c0 : null, $"NT with bias m={m} n={n} k={k} accumulate={accumulate}");
            }
        }
        var error = Assert.ThrowsExactly<ArgumentException>(() => Gemm.NT(4, 5, 3, new float[12], 3, new float[15], 3, new float[20], 5, false, new float[4]));
        StringAssert.Contains(error.Message, "row bias holds 4");
    }

    [TestMethod]
    public unsafe void RowPackedBlocksGiveTheSameBitsWith256And512BitVectors()
    {
        // The 512-bit path (AVX-512 machines) must add the same products in the same order as the 256-bit one (AVX2 only).
        var random = new Random(14);
        foreach (int k in new[] { 1, 2, 7, 128 })
        {
            float[] column = Randoms(random, Microsoft.ML.Recurrent.Engine.Tensors.Kernels.PackedRows.BlockRows * k), x = Randoms(random, k);
            fixed (float* pc = column, px = x)
            {
                var (s0, s1, s2, s3) = Microsoft.ML.Recurrent.Engine.Tensors.Kernels.PackedRows.Block256(pc, px, k);
                var (low, high) = Microsoft.ML.Recurrent.Engine.Tensors.Kernels.PackedRows.Block512(pc, px, k);
                float[] narrow = new float[32], wide = new float[32];
                s0.CopyTo(narrow, 0);
                s1.CopyTo(narrow, 8);
                s2.CopyTo(narrow, 16);
                s3.CopyTo(narrow, 24);
                low.CopyTo(wide, 0);
                high.CopyTo(wide, 16);
                CollectionAssert.AreEqual(narrow, wide, $"k={k}");
                double[] expected = Naive(32, 1, k, (i, p) => column[p * 32 + i], (p, j) => x[p]);
                for (int i = 0; i < 32; i++) Assert.AreEqual(expected[i], wide[i], 1e-4, $"row {i}, k={k}");
            }
        }
    }

    [TestMethod]
    public unsafe void RowPackedMatrixVectorProductsMatchTheReference()
    {
        var random = new Random(12);
        var packed = new Microsoft.ML.Recurrent.Engine.Tensors.Kernels.PackedRows();
        // Whole and partial 32-row blocks, odd and even k, k below and above the 8 x 8 transpose blocks; packing is reused.
        foreach ((int n, int k) in new[] { (64, 16), (45, 7), (512, 128), (33, 9), (3, 1) })
        {
            int ldm = k + 3;
            float[] m = Randoms(random, n * ldm), x = Randoms(random, k), bias = Randoms(random, n), y0 = Randoms(random, n);
            double[] expected = Naive(n, 1, k, (i, p) => m[i * ldm + p], (p, j) => x[p]);
            packed.Pack(n, k, m, ldm);
            foreach (bool accumulate in new[] { false, true })
                foreach (bool withBias in new[] { false, true })
                {
                    float[] y = (float[])y0.Clone();
                    fixed (float* px = x, py = y, pb = bias) packed.Multiply(px, py, accumulate, withBias ? pb : null, 0, packed.Blocks);
                    double[] want = [.. expected.Select((e, i) => e + (withBias ? bias[i] : 0))];
                    AssertClose(want, y, accumulate ? y0 : null, $"packed rows n={n} k={k} accumulate={accumulate} bias={withBias}");
                }
        }
    }

    [TestMethod]
    [DataRow(200, 300, 600)]
    [DataRow(97, 33, 257)]
    [DataRow(32, 1024, 256)]
    [DataRow(3200, 40, 128)]
    public void BlockedProductsMatchTheReferenceAcrossBlocksAndThreads(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        float[] a = Randoms(random, m * k), b = Randoms(random, k * n), c0 = Randoms(random, m * n);
        float[] expected = (float[])c0.Clone(), bT = Transpose(b, k, n), aT = Transpose(a, m, k);
        ReferenceGemm.NN(m, n, k, a, k, b, n, expected, n, accumulate: true);
        float[] Run(int threads, string variant)
        {
            return OnThreads.Run(threads, () =>
            {
                float[] c = (float[])c0.Clone();
                if (variant == "NN") Gemm.NN(m, n, k, a, k, b, n, c, n, accumulate: true);
                else if (variant == "NT") Gemm.NT(m, n, k, a, k, bT, k, c, n, accumulate: true);
                else Gemm.TN(m, n, k, aT, m, b, n, c, n, accumulate: true);
                return c;
            }, expectParallel: 2.0 * m * n * k >= Recurrent.Engine.Tensors.Kernels.PackedGemm.ParallelFlops);
        }
        foreach (string variant in new[] { "NN", "NT", "TN" })
        {
            float[] one = Run(1, variant), two = Run(2, variant);
            CollectionAssert.AreEqual(one, two, $"{variant}: 1 and 2 threads differ");
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], one[i], 1e-3f * (1 + Math.Abs(expected[i])), $"{variant} m={m} n={n} k={k} at {i}");
        }
    }

    [TestMethod]
    [DataRow(700, 1030, 1040)]  // split over column ranges (with a part narrower than a line at the end)
    [DataRow(5, 7, 9)]          // one part
    public void ColumnSumsAddEveryRowInOrderAtAnyThreadCount(int m, int n, int lda)
    {
        var random = new Random(m + n);
        float[] a = Randoms(random, m * lda), start = Randoms(random, n);
        float[] Run(int threads)
        {
            return OnThreads.Run(threads, () =>
            {
                float[] sums = (float[])start.Clone();
                Gemm.AddColumnSums(m, n, a, lda, sums);
                return sums;
            }, expectParallel: (long)m * n >= 1 << 18);
        }
        float[] one = Run(1), two = Run(2);
        CollectionAssert.AreEqual(one, two, "1 and 2 threads differ");
        for (int j = 0; j < n; j++)
        {
            float expected = start[j];
            for (int i = 0; i < m; i++) expected += a[i * lda + j];
            Assert.AreEqual(expected, one[j], $"column {j}");
        }
        var e = Assert.ThrowsExactly<ArgumentException>(() => Gemm.AddColumnSums(m, n, a.AsSpan(0, (m - 1) * lda + n - 1), lda, new float[n]));
        StringAssert.Contains(e.Message, $"row stride {lda}");
    }

    [TestMethod]
    public void StridedOperandsUseOnlyTheirColumns()
    {
        // A is the left 3 columns of a [2, 5] buffer; C is the right 2 columns of a [2, 4] buffer.
        float[] a = [1, 2, 3, 99, 99, 4, 5, 6, 99, 99];
        float[] b = [1, 0, 0, 1, 1, 1];
        float[] c = [7, 7, 0, 0, 7, 7, 0, 0];
        Gemm.NN(2, 2, 3, a, 5, b, 2, c.AsSpan(2), 4, accumulate: false);
        CollectionAssert.AreEqual(new float[] { 7, 7, 4, 5, 7, 7, 10, 11 }, c);
    }

    [TestMethod]
    public void TooSmallBuffersAreRejectedWithTheirSizes()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Gemm.NN(2, 2, 2, new float[3], 2, new float[4], 2, new float[4], 2, false));
        StringAssert.Contains(e.Message, "A holds 3 floats but the product needs 4");
    }

    private static double[] Naive(int m, int n, int k, Func<int, int, float> a, Func<int, int, float> b)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a(i, p) * b(p, j);
                c[i * n + j] = s;
            }
        return c;
    }

    private static void AssertClose(double[] expected, float[] actual, float[]? added, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i] + (added?[i] ?? 0);
            Assert.AreEqual(e, actual[i], 1e-4 * (1 + Math.Abs(e)), $"{what} at {i}");
        }
    }

    private static float[] Transpose(float[] x, int rows, int cols)
    {
        float[] t = new float[x.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }

    internal static float[] Randoms(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
