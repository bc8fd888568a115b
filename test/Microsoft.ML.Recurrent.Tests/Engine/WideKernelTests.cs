using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Engine.Tensors.Kernels;
using static Microsoft.ML.Recurrent.Tests.Engine.GemmTests;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// The AVX-512 kernel (6 x 32 over two strips) runs each element's FMAs in the AVX2 kernels' k order, so it must give
/// the same bits as they do, for every shape of tile, bias and accumulation. Runs where the processor has AVX-512F.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class WideKernelTests
{
    [TestMethod]
    public void WideKernelGivesTheAvx2KernelsBits()
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F; the AVX2 kernels are the only path here.");
        var random = new Random(11);
        foreach (int m in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 13, 16, 32, 64, 100 })
            foreach (int n in new[] { 1, 15, 16, 17, 32, 33, 48, 50, 96, 130 })
                foreach (int k in new[] { 1, 7, 64, 300 })
                {
                    float[] a = Randoms(random, m * k), b = Randoms(random, k * n), c0 = Randoms(random, m * n), bias = Randoms(random, n);
                    foreach (bool accumulate in new[] { false, true })
                    {
                        // B as [n, k] for NT, whose bias rides in the kernels' epilogue.
                        float[] Run(bool wide, bool withBias = false)
                        {
                            bool saved = MicroKernel.Wide;
                            MicroKernel.Wide = wide;
                            try
                            {
                                float[] c = (float[])c0.Clone();
                                if (withBias) Gemm.NT(m, n, k, a, k, b, k, c, n, accumulate, bias);
                                else Gemm.NN(m, n, k, a, k, b, n, c, n, accumulate);
                                return c;
                            }
                            finally { MicroKernel.Wide = saved; }
                        }
                        CollectionAssert.AreEqual(Run(wide: false), Run(wide: true), $"m={m} n={n} k={k} accumulate={accumulate}");
                        CollectionAssert.AreEqual(Run(wide: false, withBias: true), Run(wide: true, withBias: true), $"m={m} n={n} k={k} accumulate={accumulate}, bias");
                    }
                }
    }
}
