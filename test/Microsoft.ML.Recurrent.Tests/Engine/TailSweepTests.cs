using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// Every length 0..256 through the vectorized kernels, so every tail (of 8-lane vectors, 16-wide strips,
/// 6-row tiles, 4-row blocks) is hit: results match a scalar or float64 reference, and nothing past the
/// length is read or written.
/// </summary>
[TestClass]
public sealed class TailSweepTests
{
    private const int Longest = 256;

    [TestMethod]
    public void ActivationsOfEveryLengthMatchTheScalarFunctionAndStayInBounds()
    {
        var random = new Random(1);
        float[] x = [.. Randoms(random, Longest + 8).Select(v => v * 12)];
        for (int length = 0; length <= Longest; length++)
        {
            foreach ((string name, Action<ReadOnlySpan<float>, Span<float>> span, Func<float, float> scalar) in new (string, Action<ReadOnlySpan<float>, Span<float>>, Func<float, float>)[]
                { ("tanh", Activation.Tanh, Activation.Tanh), ("sigmoid", Activation.Sigmoid, Activation.Sigmoid) })
            {
                float[] y = Enumerable.Repeat(float.NaN, length + 8).ToArray();
                span(x.AsSpan(0, length), y.AsSpan(0, length));
                for (int i = 0; i < length; i++) Assert.AreEqual(scalar(x[i]), y[i], $"{name}, length {length}, element {i}");
                for (int i = length; i < y.Length; i++) Assert.IsTrue(float.IsNaN(y[i]), $"{name}, length {length}: element {i} past the end was written");
            }
        }
    }

    [TestMethod]
    public void ProductsOfEveryLengthInEachDimensionMatchFloat64()
    {
        var random = new Random(2);
        for (int size = 0; size <= Longest; size++)
            foreach ((int m, int n, int k) in new[] { (size, 17, 5), (7, size, 3), (5, 9, size) })
            {
                float[] a = Randoms(random, m * k), b = Randoms(random, k * n), c0 = Randoms(random, m * n);
                double[] expected = new double[m * n];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double s = c0[i * n + j];
                        for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                        expected[i * n + j] = s;
                    }
                // C sits inside a guard band so a write past its end shows.
                float[] c = [.. c0, .. Enumerable.Repeat(float.NaN, 16)];
                Gemm.NN(m, n, k, a, k, b, n, c.AsSpan(0, m * n), n, accumulate: true);
                for (int i = 0; i < m * n; i++) Assert.AreEqual(expected[i], c[i], 1e-4 * (1 + Math.Abs(expected[i])), $"m={m} n={n} k={k} at {i}");
                for (int i = m * n; i < c.Length; i++) Assert.IsTrue(float.IsNaN(c[i]), $"m={m} n={n} k={k}: wrote past C");
            }
    }

    [TestMethod]
    public void MatrixVectorProductsOfEveryLengthMatchFloat64()
    {
        var random = new Random(3);
        for (int size = 0; size <= Longest; size++)
            foreach ((int n, int k) in new[] { (size, 19), (9, size) })
            {
                float[] m = Randoms(random, n * k), x = Randoms(random, k);
                float[] y = [.. Enumerable.Repeat(0f, n), .. Enumerable.Repeat(float.NaN, 8)];
                Gemv.Rows(n, k, m, k, x, y.AsSpan(0, n), accumulate: false);
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += (double)m[j * k + p] * x[p];
                    Assert.AreEqual(s, y[j], 1e-4 * (1 + Math.Abs(s)), $"n={n} k={k} row {j}");
                }
                for (int j = n; j < y.Length; j++) Assert.IsTrue(float.IsNaN(y[j]), $"n={n} k={k}: wrote past y");
            }
    }

    [TestMethod]
    public void ColumnSumsOfEveryWidthAddEachRow()
    {
        var random = new Random(4);
        for (int n = 0; n <= Longest; n++)
        {
            const int m = 5;
            float[] a = Randoms(random, m * n);
            float[] sums = [.. Enumerable.Repeat(1f, n), .. Enumerable.Repeat(float.NaN, 8)];
            Gemm.AddColumnSums(m, n, a, n, sums.AsSpan(0, n));
            for (int j = 0; j < n; j++)
            {
                float expected = 1f;
                for (int i = 0; i < m; i++) expected += a[i * n + j];
                Assert.AreEqual(expected, sums[j], 1e-5f, $"n={n} column {j}");
            }
            for (int j = n; j < sums.Length; j++) Assert.IsTrue(float.IsNaN(sums[j]), $"n={n}: wrote past the sums");
        }
    }
}
