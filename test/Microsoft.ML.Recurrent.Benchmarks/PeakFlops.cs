using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Recurrent.Benchmarks;

/// <summary>
/// The machine's single-core FMA peak from a register-blocked loop (twelve independent accumulators), at the widest
/// vectors our GEMM tiles use: 512-bit where AVX-512F exists (a 256-bit loop measured only half of a Sapphire Rapids
/// core: 66-79 against 136-144 GFLOP/s), else 256-bit.
/// </summary>
internal static class PeakFlops
{
    /// <summary>Lanes of the measured vectors (16 or 8).</summary>
    public static int Lanes => Avx512F.IsSupported ? 16 : 8;

    /// <summary>GFLOP/s of the best of several timed bursts; 0 where FMA is not available.</summary>
    public static double MeasureGflops()
    {
        if (!Fma.IsSupported) return 0;
        const int iterations = 2_000_000;
        Func<int, float> loop = Avx512F.IsSupported ? Loop512 : Loop256;
        loop(1000);
        double best = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            var clock = Stopwatch.StartNew();
            float sink = loop(iterations);
            double seconds = clock.Elapsed.TotalSeconds;
            if (float.IsNaN(sink)) return 0;
            best = Math.Max(best, 12.0 * Lanes * 2 * iterations / seconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(int iterations)
    {
        Vector256<float> x = Vector256.Create(0.999f), y = Vector256.Create(1e-6f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, x, y); c1 = Fma.MultiplyAdd(c1, x, y); c2 = Fma.MultiplyAdd(c2, x, y); c3 = Fma.MultiplyAdd(c3, x, y);
            c4 = Fma.MultiplyAdd(c4, x, y); c5 = Fma.MultiplyAdd(c5, x, y); c6 = Fma.MultiplyAdd(c6, x, y); c7 = Fma.MultiplyAdd(c7, x, y);
            c8 = Fma.MultiplyAdd(c8, x, y); c9 = Fma.MultiplyAdd(c9, x, y); c10 = Fma.MultiplyAdd(c10, x, y); c11 = Fma.MultiplyAdd(c11, x, y);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(int iterations)
    {
        Vector512<float> x = Vector512.Create(0.999f), y = Vector512.Create(1e-6f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, x, y); c1 = Avx512F.FusedMultiplyAdd(c1, x, y); c2 = Avx512F.FusedMultiplyAdd(c2, x, y);
            c3 = Avx512F.FusedMultiplyAdd(c3, x, y); c4 = Avx512F.FusedMultiplyAdd(c4, x, y); c5 = Avx512F.FusedMultiplyAdd(c5, x, y);
            c6 = Avx512F.FusedMultiplyAdd(c6, x, y); c7 = Avx512F.FusedMultiplyAdd(c7, x, y); c8 = Avx512F.FusedMultiplyAdd(c8, x, y);
            c9 = Avx512F.FusedMultiplyAdd(c9, x, y); c10 = Avx512F.FusedMultiplyAdd(c10, x, y); c11 = Avx512F.FusedMultiplyAdd(c11, x, y);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
